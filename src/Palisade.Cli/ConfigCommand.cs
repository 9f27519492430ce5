using System.CommandLine;
using Palisade.Cli.Parsing;
using Palisade.Configuration;

namespace Palisade.Cli;

/// <summary><c>palisade config validate|corosync|authkey|agents</c>: cluster files, corosync's files, the agent reference.</summary>
internal static class ConfigCommand
{
    public const string Summary = "check cluster files; write corosync's files; the shutdown agent reference";

    public static Command Declare()
    {
        var validateFile = CommonOptions.Name("FILE", "the cluster file");
        var validate = new Command("validate", "check a cluster file; every problem as file:line:column") { validateFile };
        validate.SetAction(r => Validate(r.GetValue(validateFile)!, null, r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));

        var corosyncFile = CommonOptions.Name("FILE", "the cluster file");
        var corosyncOutput = CommonOptions.Text("--output", "PATH", "write it to PATH (default: print it)", "-o");
        var corosync = new Command("corosync", "write the corosync.conf matching a cluster file") { corosyncFile, corosyncOutput };
        corosync.SetAction(r => Validate(r.GetValue(corosyncFile)!, r.GetValue(corosyncOutput) ?? "", r.InvocationConfiguration.Output,
            r.InvocationConfiguration.Error));

        var authkeyOutput = CommonOptions.Text("--output", "PATH", $"where to write it (default {CorosyncConfWriter.AuthkeyPath})", "-o");
        var force = CommonOptions.Flag("--force", "replace an existing key (every node then needs the new one)");
        var authkey = new Command("authkey", $"a new corosync authkey ({Authkey.DefaultBytes} random bytes, mode 0400)") { authkeyOutput, force };
        authkey.SetAction(r => WriteAuthkey(r.GetValue(authkeyOutput) ?? CorosyncConfWriter.AuthkeyPath, r.GetValue(force), r.InvocationConfiguration.Output));

        var agents = new Command("agents", "every shutdown agent type and its parameters");
        agents.SetAction(r =>
        {
            r.InvocationConfiguration.Output.Write(ShutdownAgentReference.Markdown());
            return 0;
        });

        return new Command("config", Summary)
        {
            validate, corosync, authkey, agents,
        };
    }

    /// <summary>Validates <paramref name="file"/>; with <paramref name="corosyncOutput"/> also writes corosync.conf ("" prints it).</summary>
    public static int Validate(string file, string? corosyncOutput, TextWriter stdout, TextWriter stderr)
    {
        var loaded = ConfigLoader.LoadFile(file);
        if (!loaded.Ok)
        {
            foreach (var error in loaded.Errors)
            {
                stderr.WriteLine(error.ToString());
            }

            stderr.WriteLine($"{file}: {loaded.Errors.Count} problem(s); nothing was changed");
            return 1;
        }

        var config = loaded.Config!;
        if (corosyncOutput is null)
        {
            stdout.WriteLine($"{file}: valid (cluster {config.Name}, {config.Nodes.Length} nodes, {config.Groups.Length} groups)");
            return 0;
        }

        var text = CorosyncConfWriter.Write(config);
        if (corosyncOutput.Length > 0)
        {
            File.WriteAllText(corosyncOutput, text);
            stdout.WriteLine($"wrote {corosyncOutput}");
        }
        else
        {
            stdout.Write(text);
        }

        return 0;
    }

    /// <summary>A new corosync authkey; an existing one is only replaced with --force (every node needs the same key).</summary>
    public static int WriteAuthkey(string path, bool force, TextWriter stdout)
    {
        Authkey.Create(path, force);
        stdout.WriteLine($"wrote {Path.GetFullPath(path)} ({Authkey.DefaultBytes} random bytes, mode 0400); copy the same file to every node");
        return 0;
    }
}
