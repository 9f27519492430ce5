using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary><c>palisade maintenance on|off [--dry-run]</c>: the cluster keeps its hands off every group, or takes them back.</summary>
internal static class MaintenanceCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var dryRun = args.Contains("--dry-run");
        if (args.Where(a => a != "--dry-run").ToArray() is not [("on" or "off") and var action])
        {
            throw new UsageException("expected: maintenance on|off [--dry-run]");
        }

        var answer = await ControlClient.SendAsync(new ControlRequest("maintenance", action, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (!answer.Ok)
        {
            throw new IOException(answer.Error ?? "request refused");
        }

        await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
        return 0;
    }
}
