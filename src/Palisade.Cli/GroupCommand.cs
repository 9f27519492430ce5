using System.CommandLine;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary><c>palisade group start|stop|move|cleanup GROUP [--to NODE | --node NODE] [--dry-run]</c>.</summary>
internal static class GroupCommand
{
    public const string Summary = "start, stop, move or clean up a group";

    public static Command Declare() => new("group", Summary)
    {
        Action("start", "start a group"),
        Action("stop", "stop a group"),
        Action("move", "move a group cleanly to NODE (default: the next healthy node)",
            CommonOptions.Text("--to", "NODE", "the node to move the group to")),
        Action("cleanup", "forget the group's failures (on NODE only) and reset its monitors' recovery counters",
            CommonOptions.Text("--node", "NODE", "forget only the failures on this node")),
    };

    private static Command Action(string action, string description, Option<string>? target = null)
    {
        var group = CommonOptions.Name("GROUP", "the group's name");
        var dryRun = CommonOptions.DryRun();
        var command = new Command(action, description) { group, dryRun };
        if (target is not null)
        {
            command.Options.Add(target);
        }

        command.SetAction(r => RunAsync(action, r.GetValue(group)!, target is null ? null : r.GetValue(target), r.GetValue(dryRun),
            r.InvocationConfiguration.Output));
        return command;
    }

    public static async Task<int> RunAsync(string action, string group, string? to, bool dryRun, TextWriter stdout)
    {
        var response = await ControlClient.SendAsync(new ControlRequest("group", action, group, to, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!response.Ok)
        {
            throw new IOException(response.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(response)).ConfigureAwait(false);
        return 0;
    }
}
