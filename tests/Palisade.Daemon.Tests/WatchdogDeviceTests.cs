using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>Only files the test creates: a real watchdog device is never opened here.</summary>
public sealed class WatchdogDeviceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-wd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Sysfs(string device, string timeout)
    {
        var dir = Path.Combine(_dir, "sys", device);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "timeout"), timeout + "\n");
        return Path.Combine(_dir, "sys");
    }

    [Fact]
    public void A_kernel_watchdog_whose_driver_waits_longer_than_the_timeout_is_refused()
    {
        var sysfs = Sysfs("watchdog0", "60");

        var problem = WatchdogDevice.TimeoutProblem("/dev/watchdog", TimeSpan.FromSeconds(10), sysfs, out _);

        Assert.Equal($"the watchdog /dev/watchdog resets the node only after 60 s ({sysfs}/watchdog0/timeout), later than shutdown.watchdog_timeout (10 s) "
            + "the other nodes count on: set the driver's timeout to at most 10 s (e.g. wdctl -s, or the module's timeout parameter) or raise watchdog_timeout", problem);
        Assert.Null(WatchdogDevice.TimeoutProblem("/dev/watchdog1", TimeSpan.FromSeconds(10), Sysfs("watchdog1", "10"), out var note));
        Assert.Null(note);
    }

    [Fact]
    public void An_unreadable_driver_timeout_is_a_note_and_other_paths_are_not_looked_up()
    {
        Assert.Null(WatchdogDevice.TimeoutProblem("/dev/watchdog2", TimeSpan.FromSeconds(10), Path.Combine(_dir, "none"), out var note));
        Assert.StartsWith($"cannot read the driver's timeout from {_dir}/none/watchdog2/timeout", note, StringComparison.Ordinal);

        Assert.Null(WatchdogDevice.TimeoutProblem("/var/lib/palisade/watchdog", TimeSpan.FromSeconds(10), Path.Combine(_dir, "none"), out note));
        Assert.Null(note);
    }

    [Fact]
    public async Task A_device_that_does_not_exist_is_a_start_error_naming_it()
    {
        var path = Path.Combine(_dir, "missing");

        var (device, problem) = await WatchdogDevice.OpenAsync(path, TimeSpan.FromSeconds(10), _dir, NullLogger.Instance);

        Assert.Null(device);
        Assert.StartsWith($"cannot open the watchdog {path}: Could not find file", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_opens_for_feeding()
    {
        var path = Path.Combine(_dir, "device");
        await File.WriteAllTextAsync(path, "");

        var (device, problem) = await WatchdogDevice.OpenAsync(path, TimeSpan.FromSeconds(10), _dir, NullLogger.Instance);
        using (var feeder = new WatchdogFeeder(device!, path, TimeSpan.FromSeconds(10), TimeProvider.System, NullLogger.Instance))
        {
            feeder.Observe(new WatchdogFacts(true, true, null));
            feeder.Disarm();
        }

        Assert.Null(problem);
        Assert.Equal("1V", await File.ReadAllTextAsync(path));
    }
}
