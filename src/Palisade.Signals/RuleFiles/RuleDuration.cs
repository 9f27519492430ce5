using System.Globalization;
using System.Text.RegularExpressions;

namespace Palisade.Signals;

/// <summary>The <c>within</c> of a counted rule: a whole number and a unit, like <c>500ms</c>, <c>60s</c>, <c>5m</c>, <c>1h</c>.</summary>
internal static partial class RuleDuration
{
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public const string Expected = "a duration like 500ms, 60s, 5m or 1h (more than 0, at most 24h)";

    public static TimeSpan? Parse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var amount = long.Parse(match.Groups["amount"].ValueSpan, CultureInfo.InvariantCulture);
        var duration = match.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromHours(amount),
        };
        return duration > TimeSpan.Zero && duration <= Longest ? duration : null;
    }

    /// <summary>The duration in seconds, or milliseconds when it is not a whole number of seconds.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalSeconds}s")
            : string.Create(CultureInfo.InvariantCulture, $"{(long)duration.TotalMilliseconds}ms");

    [GeneratedRegex(@"^(?<amount>\d{1,9})(?<unit>ms|s|m|h)$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
