using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Palisade.Daemon;

/// <summary>
/// Opens the node's watchdog device for <see cref="WatchdogFeeder"/>. Opening a Linux watchdog arms it, so this runs
/// only in palisaded's start-up, after the configuration is known to be valid. A device that cannot be opened, or
/// whose driver would wait longer than <c>watchdog_timeout</c>, is a start error: the survivors count a lost node
/// down after twice that timeout, so a slower device would let a lost node run on after it was counted down.
/// </summary>
internal static partial class WatchdogDevice
{
    /// <summary>Opening a FIFO (the lab's simulated device) waits for its reader; a device that does not open this fast is missing.</summary>
    public static readonly TimeSpan OpenLimit = TimeSpan.FromSeconds(10);

    public const string SysfsRoot = "/sys/class/watchdog";

    /// <summary>Where the kernel's watchdog devices are; only those have a driver timeout in sysfs.</summary>
    internal const string DeviceDirectory = "/dev/";

    /// <summary>The kernel's first watchdog device (tests name it from here; nothing in them ever opens it).</summary>
    internal const string KernelDevice = DeviceDirectory + "watchdog";

    [GeneratedRegex("^watchdog[0-9]*$")]
    private static partial Regex DeviceName();

    /// <summary>The open device, or why it cannot be used.</summary>
    public static async Task<(Stream? Device, string? Problem)> OpenAsync(string path, TimeSpan timeout, string sysfsRoot, ILogger log)
    {
        if (TimeoutProblem(path, timeout, sysfsRoot, out var note) is { } problem)
        {
            return (null, problem);
        }

        if (note is not null)
        {
            WatchdogLog.DeviceNote(log, path, note);
        }

        var opening = Task.Run(() => (Stream)new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize: 0));
        try
        {
            var device = await opening.WaitAsync(OpenLimit).ConfigureAwait(false);
            WatchdogLog.Opened(log, path, timeout.TotalSeconds);
            return (device, null);
        }
        catch (TimeoutException)
        {
            return (null, $"cannot open the watchdog {path}: the open did not complete within {OpenLimit.TotalSeconds:0} s");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return (null, $"cannot open the watchdog {path}: {e.Message}");
        }
    }

    /// <summary>
    /// For a kernel watchdog (/dev/watchdog, /dev/watchdogN), its driver's timeout as sysfs shows it must not exceed
    /// <paramref name="timeout"/>. <paramref name="note"/> says when it cannot be read.
    /// </summary>
    public static string? TimeoutProblem(string path, TimeSpan timeout, string sysfsRoot, out string? note)
    {
        note = null;
        var name = Path.GetFileName(path);
        if (!path.StartsWith(DeviceDirectory, StringComparison.Ordinal) || !DeviceName().IsMatch(name))
        {
            return null; // not a kernel watchdog by name: nothing to read
        }

        var sysfs = Path.Combine(sysfsRoot, name == "watchdog" ? "watchdog0" : name, "timeout");
        string text;
        try
        {
            text = File.ReadAllText(sysfs).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            note = $"cannot read the driver's timeout from {sysfs} ({e.Message}): make sure it is at most {timeout.TotalSeconds:0} s";
            return null;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            note = $"{sysfs} holds '{text}', not a number of seconds: make sure the driver's timeout is at most {timeout.TotalSeconds:0} s";
            return null;
        }

        return TimeSpan.FromSeconds(seconds) > timeout
            ? $"the watchdog {path} resets the node only after {seconds} s ({sysfs}), later than shutdown.watchdog_timeout "
                + $"({timeout.TotalSeconds:0} s) the other nodes count on: set the driver's timeout to at most {timeout.TotalSeconds:0} s "
                + "(e.g. wdctl -s, or the module's timeout parameter) or raise watchdog_timeout"
            : null;
    }
}
