using Microsoft.Extensions.Logging;
using Palisade.Lab;
using Palisade.Scenarios;

namespace Palisade.Cli;

/// <summary><c>palisade demo [--keep] [--config FILE]</c>: a lab, then the node serving a web service powered off, narrated.</summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(bool keep, string? config, TextWriter stdout)
    {
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var lab = new LabController(new LabOptions(), loggers, TimeProvider.System);
        return await new DemoRunner(lab, stdout).RunAsync(config ?? DemoRunner.DefaultConfig, keep, CancellationToken.None).ConfigureAwait(false);
    }
}
