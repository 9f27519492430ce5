using System.Globalization;
using System.Runtime.InteropServices;

namespace Palisade.Bench;

/// <summary>The line that says what the numbers were measured on.</summary>
internal static class Machine
{
    public static string Describe()
    {
        var cpu = Field("/proc/cpuinfo", "model name", ':') ?? "unknown CPU";
        var memKiB = Field("/proc/meminfo", "MemTotal", ':')?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        var memory = long.TryParse(memKiB, NumberStyles.None, CultureInfo.InvariantCulture, out var kib)
            ? string.Create(CultureInfo.InvariantCulture, $"{kib / 1024.0 / 1024.0:F1} GiB RAM")
            : "RAM unknown";
        var os = Field("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription;
        var kernel = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "?";
        return $"machine: {Environment.ProcessorCount} cores ({cpu}), {memory}, {os}, kernel {kernel}, {RuntimeInformation.FrameworkDescription}";
    }

    private static string? Field(string path, string key, char separator)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        return File.ReadLines(path)
            .Select(l => l.Split(separator, 2))
            .Where(p => p.Length == 2 && p[0].Trim() == key)
            .Select(p => p[1].Trim())
            .FirstOrDefault();
    }
}
