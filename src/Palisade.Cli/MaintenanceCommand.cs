using System.CommandLine;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary><c>palisade maintenance on|off [--dry-run]</c>: the cluster keeps its hands off every group, or takes them back.</summary>
internal static class MaintenanceCommand
{
    public const string Summary = "hands off every group, or back on";

    public static Command Declare() => new("maintenance", Summary)
    {
        Action("on", "hands off every group: nothing started, stopped, recovered or fenced; palisaded may stop and start while groups keep running"),
        Action("off", "take the groups back"),
    };

    private static Command Action(string action, string description)
    {
        var dryRun = CommonOptions.DryRun();
        var command = new Command(action, description) { dryRun };
        command.SetAction(r => RunAsync(action, r.GetValue(dryRun), r.InvocationConfiguration.Output));
        return command;
    }

    public static async Task<int> RunAsync(string action, bool dryRun, TextWriter stdout)
    {
        var answer = await ControlClient.SendAsync(new ControlRequest("maintenance", action, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
        return 0;
    }
}
