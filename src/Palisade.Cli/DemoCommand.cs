using Microsoft.Extensions.Logging;
using Palisade.Lab;
using Palisade.Scenarios;

namespace Palisade.Cli;

internal static class DemoCommand
{
    public static async Task<int> RunAsync(string[] args, TextWriter stdout)
    {
        var keep = args.Contains("--keep");
        var config = Options.Value(args, "--config") ?? DemoRunner.DefaultConfig;
        if (Options.Positional([.. args.Where(a => a != "--keep")], "--config") is [var extra, ..])
        {
            throw new UsageException($"unexpected argument '{extra}'");
        }

        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var lab = new LabController(new LabOptions(), loggers, TimeProvider.System);
        return await new DemoRunner(lab, stdout).RunAsync(config, keep, CancellationToken.None).ConfigureAwait(false);
    }
}
