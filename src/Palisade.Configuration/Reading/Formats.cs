using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Palisade.Configuration.Reading;

/// <summary>The textual forms the file accepts (integers, durations, addresses, names) and their canonical spelling.</summary>
internal static partial class Formats
{
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public const string DurationForms = "500ms, 10s, 2m, 1h or a whole number of seconds";

    [GeneratedRegex("^[+-]?[0-9]{1,18}$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex("^([0-9]{1,9})(ms|s|m|h)?$")]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex Ipv4Pattern();

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostnamePattern();

    [GeneratedRegex("^[0-9.]+$")]
    private static partial Regex DigitsAndDots();

    public static bool TryParseInteger(string text, out long value)
    {
        value = 0;
        return IntegerPattern().IsMatch(text)
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
    }

    public static bool TryParseBoolean(string text, out bool value)
    {
        value = text is "true" or "True" or "TRUE";
        return value || text is "false" or "False" or "FALSE";
    }

    /// <summary>Parses <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>, or a bare integer meaning seconds.</summary>
    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        var match = DurationPattern().Match(text);
        if (!match.Success)
        {
            return false;
        }

        var amount = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        value = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
        return true;
    }

    /// <summary>The shortest exact spelling in the largest unit; sub-millisecond parts are rounded to milliseconds.</summary>
    public static string FormatDuration(TimeSpan value)
    {
        var ms = (long)Math.Round(value.TotalMilliseconds);
        return ms switch
        {
            0 => "0s",
            _ when ms % 3_600_000 == 0 => $"{ms / 3_600_000}h",
            _ when ms % 60_000 == 0 => $"{ms / 60_000}m",
            _ when ms % 1000 == 0 => $"{ms / 1000}s",
            _ => $"{ms}ms",
        };
    }

    /// <summary>A literal IPv4 or IPv6 address (no zone index); returns its canonical spelling.</summary>
    public static bool TryParseAddress(string text, out IPAddress? address)
    {
        address = null;
        if (Ipv4Pattern().IsMatch(text))
        {
            address = IPAddress.Parse(text);
            return true;
        }

        if (text.Contains(':', StringComparison.Ordinal) && !text.Contains('%', StringComparison.Ordinal)
            && IPAddress.TryParse(text, out var parsed) && parsed.AddressFamily == AddressFamily.InterNetworkV6)
        {
            address = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A DNS host name; strings of digits and dots are addresses, never names.</summary>
    public static bool IsHostname(string text) => HostnamePattern().IsMatch(text) && !DigitsAndDots().IsMatch(text);

    public static string Family(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? "IPv4" : "IPv6";
}
