using System.Globalization;
using System.Text;

namespace Palisade.Core.Configuration;

/// <summary>
/// Pacemaker's <c>timestamp-format</c>: strftime directives plus <c>%N</c> for the fraction of the second, whose
/// width (<c>%06N</c>, <c>%3N</c>, 1 to 9 digits, default 9) says how many digits are kept.
/// </summary>
public static class AlertTimestamp
{
    private const string Directives = "aAbBdeHIjmMpSyYzZsFT%";

    /// <summary>Why <paramref name="format"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string format)
    {
        ArgumentNullException.ThrowIfNull(format);
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%')
            {
                continue;
            }

            var start = i;
            i++;
            while (i < format.Length && char.IsAsciiDigit(format[i]))
            {
                i++;
            }

            if (i >= format.Length)
            {
                return $"'%' at position {start + 1} ends the format without a directive";
            }

            var width = format[(start + 1)..i];
            if (format[i] == 'N')
            {
                if (width.Length > 0 && int.Parse(width, CultureInfo.InvariantCulture) is < 1 or > 9)
                {
                    return $"'%{width}N' at position {start + 1}: the fraction of a second has 1 to 9 digits";
                }

                continue;
            }

            if (width.Length > 0 || !Directives.Contains(format[i], StringComparison.Ordinal))
            {
                return $"'%{width}{format[i]}' at position {start + 1} is not a supported directive (%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %z %Z %s %F %T %% and %N, %3N, %06N for the fraction of a second)";
            }
        }

        return null;
    }

    /// <summary>The time <paramref name="at"/> (in UTC) written in <paramref name="format"/>, which <see cref="Problem"/> accepted.</summary>
    public static string Format(string format, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(format);
        var t = at.ToUniversalTime();
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                text.Append(format[i]);
                continue;
            }

            var start = ++i;
            while (i < format.Length && char.IsAsciiDigit(format[i]))
            {
                i++;
            }

            var width = format[start..i];
            var nanos = (t.Ticks % TimeSpan.TicksPerSecond) * 100;
            text.Append(format[i] switch
            {
                'N' => nanos.ToString("D9", c)[..(width.Length > 0 ? int.Parse(width, c) : 9)],
                'a' => t.ToString("ddd", c),
                'A' => t.ToString("dddd", c),
                'b' => t.ToString("MMM", c),
                'B' => t.ToString("MMMM", c),
                'd' => t.ToString("dd", c),
                'e' => t.Day.ToString(c).PadLeft(2),
                'H' => t.ToString("HH", c),
                'I' => t.ToString("hh", c),
                'j' => t.DayOfYear.ToString("D3", c),
                'm' => t.ToString("MM", c),
                'M' => t.ToString("mm", c),
                'p' => t.Hour < 12 ? "AM" : "PM",
                'S' => t.ToString("ss", c),
                'y' => t.ToString("yy", c),
                'Y' => t.ToString("yyyy", c),
                'z' => "+0000",
                'Z' => "UTC",
                's' => t.ToUnixTimeSeconds().ToString(c),
                'F' => t.ToString("yyyy-MM-dd", c),
                'T' => t.ToString("HH:mm:ss", c),
                '%' => "%",
                var other => "%" + width + other,
            });
        }

        return text.ToString();
    }
}
