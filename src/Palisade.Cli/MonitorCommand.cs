using System.Text.Json;
using Palisade.Core.Control;
using Palisade.Core.Status;

namespace Palisade.Cli;

/// <summary><c>palisade monitor list</c>: every monitor, its status on each node and its recovery counters.</summary>
internal static class MonitorCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var dryRun = args.Contains("--dry-run");
        var positional = Options.Positional([.. args.Where(a => a != "--dry-run")], "--output", "-o", "--node");
        if (positional is [("suspend" or "resume" or "clear") and var action, var name])
        {
            var node = Options.Value(args, "--node");
            var answer = await ControlClient.SendAsync(new ControlRequest("monitor", action, name, Target: node, DryRun: dryRun), TimeSpan.FromSeconds(10)).ConfigureAwait(false);
            if (!answer.Ok)
            {
                throw new IOException(answer.Error ?? "request refused");
            }

            await stdout.WriteAsync(PreviewText.Render(answer)).ConfigureAwait(false);
            return 0;
        }

        if (positional is not ["list"])
        {
            throw new UsageException("expected: monitor list [--output text|json] or monitor suspend|resume|clear NAME [--node NODE] [--dry-run]");
        }

        var output = Options.Value(args, "--output", "-o") ?? "text";
        if (output is not ("text" or "json"))
        {
            throw new UsageException($"--output must be text or json, not '{output}'");
        }

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
