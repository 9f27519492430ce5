using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Palisade.Daemon.Service;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>
/// palisaded logs in journald's form (priority prefix, no timestamp) under systemd and keeps its timestamped lines
/// elsewhere (the lab's node logs are read by tests); the lines are written by the formatter the logger is set up with.
/// </summary>
public sealed partial class DaemonLoggingTests
{
    [Theory]
    [InlineData(null, false, false)]
    [InlineData("", false, false)]
    [InlineData("8:12345", false, true)]
    [InlineData(null, true, true)]
    [InlineData("8:12345", true, true)]
    public void The_journal_format_is_chosen_under_systemd_only(string? journalStream, bool systemdService, bool journal)
    {
        Assert.Equal(journal ? LogFormat.Journal : LogFormat.Plain, DaemonLogging.Choose(journalStream, systemdService));
    }

    [Fact]
    public void Under_systemd_a_line_has_the_priority_prefix_and_no_timestamp()
    {
        Assert.Equal("<6>palisade.cluster[3] decision: start web on n2\n", Format(LogFormat.Journal, LogLevel.Information));
        Assert.Equal("<3>palisade.cluster[3] decision: start web on n2\n", Format(LogFormat.Journal, LogLevel.Error));
        Assert.Equal("<2>palisade.cluster[3] decision: start web on n2\n", Format(LogFormat.Journal, LogLevel.Critical));
    }

    [Fact]
    public void Elsewhere_a_line_starts_with_the_local_time()
    {
        var line = Format(LogFormat.Plain, LogLevel.Warning);
        Assert.Matches(PlainLine(), line);
    }

    [Fact]
    public void Every_level_goes_to_stderr_in_both_formats()
    {
        foreach (var format in new[] { LogFormat.Plain, LogFormat.Journal })
        {
            using var services = Services(format);
            var options = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue;
            Assert.Equal(LogLevel.Trace, options.LogToStandardErrorThreshold);
        }
    }

    private static string Format(LogFormat format, LogLevel level)
    {
        using var services = Services(format);
        var name = services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName;
        var formatter = services.GetServices<ConsoleFormatter>().Single(f => f.Name == name);
        var entry = new LogEntry<string>(level, "palisade.cluster", new EventId(3), "decision: start web on n2", null, (s, _) => s);
        using var text = new StringWriter();
        formatter.Write(in entry, new LoggerExternalScopeProvider(), text);
        return text.ToString();
    }

    private static ServiceProvider Services(LogFormat format) =>
        new ServiceCollection().AddLogging(b => b.AddDaemonConsole(format)).BuildServiceProvider();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} warn: palisade\.cluster\[3\] decision: start web on n2\r?\n$")]
    private static partial Regex PlainLine();
}
