using System.CommandLine;
using System.Diagnostics;
using Palisade.Cli.Parsing;
using Palisade.Cli.Setup;
using Palisade.Configuration;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade cluster setup FILE</c>: checks the cluster file, makes the files every node needs (authkey,
/// corosync.conf, the cluster file) in one directory, and prints the ssh/scp commands that install them and start the
/// cluster (the default), or runs them (<c>--ssh</c>; the start steps too with <c>--start</c>).
/// </summary>
internal static class ClusterCommand
{
    public const string Summary = "set up a new cluster from its cluster file";

    public const string Description = """
        Checks FILE, writes DIR (default ./palisade-setup-CLUSTER, mode 0700) with the corosync authkey (kept if DIR
        already has one), corosync.conf and the cluster file, then prints (--print, the default) the ssh/scp commands
        that copy them to every node and start the cluster, or runs the copy commands (--ssh) with this machine's ssh
        and scp (BatchMode: keys, no passwords); with --start also enables and starts corosync, then palisaded, on
        every node. Nodes are reached at their admin address, else their first interconnect address, as USER.
        """;

    private static readonly TimeSpan StepLimit = TimeSpan.FromMinutes(2);

    public static Command Declare()
    {
        var file = CommonOptions.Name("FILE", "the cluster file");
        var dir = CommonOptions.Text("--dir", "DIR", "where to write the files (default ./palisade-setup-CLUSTER)");
        var user = CommonOptions.Text("--user", "USER", "the user ssh logs in as (default root)");
        var print = CommonOptions.Flag("--print", "print the ssh/scp commands (the default)");
        var ssh = CommonOptions.Flag("--ssh", "run the copy commands");
        var start = CommonOptions.Flag("--start", "with --ssh: also start corosync, then palisaded, on every node");
        var setup = new Command("setup", Description) { file, dir, user, print, ssh, start };
        setup.Validators.Add(result =>
        {
            if (result.GetValue(ssh) && result.GetValue(print))
            {
                result.AddError("give --print or --ssh, not both");
            }
            else if (result.GetValue(start) && !result.GetValue(ssh))
            {
                result.AddError("--start goes with --ssh (the printed commands include the start steps)");
            }
        });
        setup.SetAction(r => RunAsync(r.GetValue(file)!, r.GetValue(dir), r.GetValue(user) ?? "root", r.GetValue(ssh), r.GetValue(start),
            r.InvocationConfiguration.Output, r.InvocationConfiguration.Error));
        return new Command("cluster", Summary) { setup };
    }

    public static async Task<int> RunAsync(string file, string? dirOption, string user, bool ssh, bool start, TextWriter stdout, TextWriter stderr)
    {
        var loaded = ConfigLoader.LoadFile(file);
        if (!loaded.Ok)
        {
            foreach (var error in loaded.Errors)
            {
                await stderr.WriteLineAsync(error.ToString()).ConfigureAwait(false);
            }

            await stderr.WriteLineAsync($"{file}: {loaded.Errors.Count} problem(s); nothing was written").ConfigureAwait(false);
            return 1;
        }

        var config = loaded.Config!;
        var dir = Path.GetFullPath(dirOption ?? $"palisade-setup-{config.Name}");
        var newKey = SetupBundle.Write(dir, config, await File.ReadAllTextAsync(file).ConfigureAwait(false));
        await stdout.WriteLineAsync($"# {file}: valid (cluster {config.Name}, {config.Nodes.Length} nodes); files for every node in {dir}:").ConfigureAwait(false);
        await stdout.WriteLineAsync($"#   {SetupPlan.AuthkeyFile} ({(newKey ? "new" : "kept from an earlier setup")}, mode 0400), {SetupPlan.CorosyncFile}, {SetupPlan.ClusterFile}").ConfigureAwait(false);
        var steps = SetupPlan.For(config, dir, user);
        if (!ssh)
        {
            await PrintAsync(steps, stdout).ConfigureAwait(false);
            return 0;
        }

        var phases = start ? new[] { SetupPhase.Copy, SetupPhase.Start } : [SetupPhase.Copy];
        foreach (var step in steps.Where(s => phases.Contains(s.Phase)))
        {
            await stdout.WriteLineAsync($"{step.Node}: {SetupPlan.ShellLine(step.Command)}").ConfigureAwait(false);
            var (code, output) = await RunAsync(step.Command).ConfigureAwait(false);
            if (code != 0)
            {
                await stderr.WriteLineAsync($"palisade: {step.Node}: '{step.Command[0]}' exited {code}: {output.Trim()}").ConfigureAwait(false);
                return 1;
            }
        }

        if (!phases.Contains(SetupPhase.Start))
        {
            await stdout.WriteLineAsync("# every node has its files; start the cluster with --ssh --start, or on each node:").ConfigureAwait(false);
            await stdout.WriteLineAsync("#   systemctl enable corosync && systemctl restart corosync   (every node), then systemctl enable --now palisaded").ConfigureAwait(false);
        }

        return 0;
    }

    private static async Task PrintAsync(IReadOnlyList<SetupStep> steps, TextWriter stdout)
    {
        string? node = null;
        var phase = SetupPhase.Copy;
        foreach (var step in steps)
        {
            if (step.Phase != phase)
            {
                phase = step.Phase;
                node = null;
                await stdout.WriteLineAsync("\n# once every node has its files: corosync on every node, then palisaded").ConfigureAwait(false);
            }

            if (step.Phase == SetupPhase.Copy && step.Node != node)
            {
                node = step.Node;
                await stdout.WriteLineAsync($"\n# {node}").ConfigureAwait(false);
            }

            await stdout.WriteLineAsync(SetupPlan.ShellLine(step.Command)).ConfigureAwait(false);
        }
    }

    private static async Task<(int Code, string Output)> RunAsync(IReadOnlyList<string> command)
    {
        var start = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in command.Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new IOException($"cannot run {command[0]}");
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(StepLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            return (124, $"no answer within {StepLimit.TotalSeconds:0} s");
        }

        return (process.ExitCode, await output.ConfigureAwait(false) + await error.ConfigureAwait(false));
    }
}
