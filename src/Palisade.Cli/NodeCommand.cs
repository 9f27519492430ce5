using System.CommandLine;
using Palisade.Cli.Parsing;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary><c>palisade node standby|online NODE [--dry-run]</c>: keep groups off a node that stays a member, or let them back.</summary>
internal static class NodeCommand
{
    public const string Summary = "keep groups off a node (it stays a member) or let them back";

    public static Command Declare() => new("node", Summary)
    {
        Action("standby", "keep groups off NODE: they move away; it stays a member"),
        Action("online", "let groups back on NODE"),
    };

    private static Command Action(string action, string description)
    {
        var node = CommonOptions.Name("NODE", "the node's name");
        var dryRun = CommonOptions.DryRun();
        var command = new Command(action, description) { node, dryRun };
        command.SetAction(r => RunAsync(action, r.GetValue(node)!, r.GetValue(dryRun), r.InvocationConfiguration.Output));
        return command;
    }

    public static async Task<int> RunAsync(string action, string node, bool dryRun, TextWriter stdout)
    {
        var answer = await ControlClient.SendAsync(new ControlRequest("node", action, Target: node, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
        return 0;
    }
}
