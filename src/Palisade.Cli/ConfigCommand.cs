using Palisade.Configuration;

namespace Palisade.Cli;

internal static class ConfigCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args is ["authkey", .. var rest])
        {
            return WriteAuthkey(rest, stdout);
        }

        var positional = Options.Positional(args, "--output", "-o");
        if (positional is ["agents"])
        {
            stdout.Write(ShutdownAgentReference.Markdown());
            return 0;
        }

        if (positional.Count != 2 || positional[0] is not ("validate" or "corosync"))
        {
            throw new UsageException("expected: config validate FILE | config corosync FILE [--output PATH] | config authkey [--output PATH] [--force] | config agents");
        }

        var loaded = ConfigLoader.LoadFile(positional[1]);
        if (!loaded.Ok)
        {
            foreach (var error in loaded.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            stderr.WriteLine($"{positional[1]}: {loaded.Errors.Count} problem(s); nothing was changed");
            return 1;
        }

        var config = loaded.Config!;
        if (positional[0] == "validate")
        {
            stdout.WriteLine($"{positional[1]}: valid (cluster {config.Name}, {config.Nodes.Length} nodes, {config.Groups.Length} groups)");
            return 0;
        }

        var text = CorosyncConfWriter.Write(config);
        if (Options.Value(args, "--output", "-o") is { } path)
        {
            File.WriteAllText(path, text);
            stdout.WriteLine($"wrote {path}");
        }
        else
        {
            stdout.Write(text);
        }

        return 0;
    }

    /// <summary>A new corosync authkey; an existing one is only replaced with --force (every node needs the same key).</summary>
    private static int WriteAuthkey(string[] args, TextWriter stdout)
    {
        var force = args.Contains("--force");
        var rest = args.Where(a => a != "--force").ToArray();
        if (Options.Positional(rest, "--output", "-o") is [var extra, ..])
        {
            throw new UsageException($"config authkey takes no argument, got '{extra}'");
        }

        var path = Options.Value(rest, "--output", "-o") ?? CorosyncConfWriter.AuthkeyPath;
        Authkey.Create(path, force);
        stdout.WriteLine($"wrote {Path.GetFullPath(path)} ({Authkey.DefaultBytes} random bytes, mode 0400); copy the same file to every node");
        return 0;
    }
}
