using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary><c>palisade node standby|online NODE [--dry-run]</c>: keep groups off a node that stays a member, or let them back.</summary>
internal static class NodeCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var dryRun = args.Contains("--dry-run");
        if (args.Where(a => a != "--dry-run").ToArray() is not [("standby" or "online") and var action, var node] || node.StartsWith('-'))
        {
            throw new UsageException("expected: node standby|online NODE [--dry-run]");
        }

        var answer = await ControlClient.SendAsync(new ControlRequest("node", action, Target: node, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
        return 0;
    }
}
