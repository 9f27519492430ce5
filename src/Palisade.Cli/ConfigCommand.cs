using Palisade.Configuration;

namespace Palisade.Cli;

internal static class ConfigCommand
{
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var positional = Options.Positional(args, "--output", "-o");
        if (positional is ["agents"])
        {
            stdout.Write(ShutdownAgentReference.Markdown());
            return 0;
        }

        if (positional.Count != 2 || positional[0] is not ("validate" or "corosync"))
        {
            throw new UsageException("expected: config validate FILE | config corosync FILE [--output PATH] | config agents");
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
}
