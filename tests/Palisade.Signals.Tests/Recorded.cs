namespace Palisade.Signals.Tests;

/// <summary>The recorded log files beside the tests, and the time the tests start from.</summary>
internal static class Recorded
{
    public static readonly DateTimeOffset T0 = new(2024, 12, 4, 10, 0, 0, TimeSpan.Zero);

    public static string[] Lines(string file) => File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "recorded", file));

    public static KernelLogLine Line(string text) => KernelLogLine.Parse(text) ?? throw new InvalidOperationException($"not a line: {text}");
}
