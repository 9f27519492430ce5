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

        var problem = WatchdogDevice.TimeoutProblem(WatchdogDevice.KernelDevice, TimeSpan.FromSeconds(10), sysfs, out _);

        Assert.Equal($"the watchdog {WatchdogDevice.KernelDevice} resets the node only after 60 s ({sysfs}/watchdog0/timeout), later than shutdown.watchdog_timeout (10 s) "
            + "the other nodes count on: set the driver's timeout to at most 10 s (e.g. wdctl -s, or the module's timeout parameter) or raise watchdog_timeout", problem);
        Assert.Null(WatchdogDevice.TimeoutProblem(WatchdogDevice.KernelDevice + "1", TimeSpan.FromSeconds(10), Sysfs("watchdog1", "10"), out var note));
        Assert.Null(note);
    }

    [Fact]
    public void An_unreadable_driver_timeout_is_a_note_and_other_paths_are_not_looked_up()
    {
        Assert.Null(WatchdogDevice.TimeoutProblem(WatchdogDevice.KernelDevice + "2", TimeSpan.FromSeconds(10), Path.Combine(_dir, "none"), out var note));
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

/// <summary>The lab's simulated device is a FIFO: opening it waits for the reader, and the reader sees every byte.</summary>
public sealed class WatchdogFifoTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-wd-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_fifo_with_a_reader_opens_and_its_reader_sees_the_feeds_then_the_magic_close()
    {
        var fifo = Path.Combine(_dir, "watchdog");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]))
        {
            await mkfifo.WaitForExitAsync();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var reader = Task.Run(async () =>
        {
            await using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            using var text = new StreamReader(stream);
            return await text.ReadToEndAsync();
        });

        var (device, problem) = await WatchdogDevice.OpenAsync(fifo, TimeSpan.FromSeconds(10), _dir, NullLogger.Instance);
        Assert.Null(problem);
        var clock = new ManualClock(DateTimeOffset.UnixEpoch);
        var feeder = new WatchdogFeeder(device!, fifo, TimeSpan.FromSeconds(3), clock, NullLogger.Instance);
        feeder.Observe(new WatchdogFacts(true, true, null));
        clock.Advance(TimeSpan.FromSeconds(1));
        feeder.Observe(new WatchdogFacts(true, true, null));
        feeder.Disarm();

        Assert.Equal("11V", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
