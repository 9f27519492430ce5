using System.CommandLine;
using System.Text.Json;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

/// <summary>
/// <c>palisade monitor list</c>: every monitor, its status on each node and its recovery counters;
/// <c>monitor suspend|resume|clear NAME [--node NODE] [--dry-run]</c>: stop or restart watching, clear its error.
/// </summary>
internal static class MonitorCommand
{
    public const string Summary = "list monitors; suspend, resume or clear one";

    public static Command Declare()
    {
        var output = CommonOptions.Output();
        var list = new Command("list", "every monitor: status per node, recovery counters, last reason") { output };
        list.SetAction(r => ListAsync(r.GetValue(output)!, r.InvocationConfiguration.Output));
        return new Command("monitor", Summary)
        {
            list,
            Action("suspend", "stop watching a monitor (on NODE only)"),
            Action("resume", "watch a suspended monitor again (on NODE only)"),
            Action("clear", "clear a monitor's error and recovery counters (on NODE only)"),
        };
    }

    private static Command Action(string action, string description)
    {
        var name = CommonOptions.Name("NAME", "the monitor's name");
        var node = CommonOptions.Text("--node", "NODE", "only on this node");
        var dryRun = CommonOptions.DryRun();
        var command = new Command(action, description) { name, node, dryRun };
        command.SetAction(r => ActAsync(action, r.GetValue(name)!, r.GetValue(node), r.GetValue(dryRun), r.InvocationConfiguration.Output));
        return command;
    }

    public static async Task<int> ActAsync(string action, string name, string? node, bool dryRun, TextWriter stdout)
    {
        var answer = await ControlClient.SendAsync(new ControlRequest("monitor", action, name, Target: node, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
        return 0;
    }

    public static async Task<int> ListAsync(string output, TextWriter stdout)
    {
        var response = await ControlClient.SendAsync(new ControlRequest("status"), TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        if (!response.Ok || response.Status is null)
        {
            throw new IOException(response.Error ?? "palisaded returned no status");
        }

        await stdout.WriteAsync(output == "json"
            ? JsonSerializer.Serialize(response.Status.Monitors, JsonOutput.Options) + "\n"
            : MonitorText.Render(response.Status.Monitors)).ConfigureAwait(false);
        return 0;
    }
}
