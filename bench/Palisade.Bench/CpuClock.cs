using System.Globalization;

namespace Palisade.Bench;

/// <summary>
/// CPU time of this process plus its children that have exited and been waited for (every agent tool the process
/// ran), from /proc/self/stat: utime + stime + cutime + cstime.
/// </summary>
internal static class CpuClock
{
    /// <summary>USER_HZ, the unit of those fields; 100 on every Linux architecture .NET runs on.</summary>
    private const double TicksPerSecond = 100.0;

    public static TimeSpan Used()
    {
        var stat = File.ReadAllText("/proc/self/stat");
        // The command name (field 2) may hold blanks: count fields after its closing parenthesis, field 3 first.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = Enumerable.Range(14, 4).Sum(field => long.Parse(fields[field - 3], CultureInfo.InvariantCulture));
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
