using Palisade.Core.Control;

namespace Palisade.Cli;

internal static class GroupCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var dryRun = args.Contains("--dry-run");
        var positional = Options.Positional([.. args.Where(a => a != "--dry-run")], "--to", "--node");
        if (positional.Count != 2 || positional[0] is not ("start" or "stop" or "move" or "cleanup"))
        {
            throw new UsageException("expected: group start|stop|move|cleanup GROUP [--to NODE | --node NODE] [--dry-run]");
        }

        var to = Options.Value(args, "--to");
        if (to is not null && positional[0] != "move")
        {
            throw new UsageException("--to only goes with 'group move'");
        }

        var node = Options.Value(args, "--node");
        if (node is not null && positional[0] != "cleanup")
        {
            throw new UsageException("--node only goes with 'group cleanup'");
        }

        to ??= node;

        var response = await ControlClient.SendAsync(new ControlRequest("group", positional[0], positional[1], to, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!response.Ok)
        {
            throw new IOException(response.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(response)).ConfigureAwait(false);
        return 0;
    }
}
