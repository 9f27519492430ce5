using System.Diagnostics;
using Palisade.Agents.Monitors;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

public sealed class DiskCheckTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Task<CheckResult> Read(string path, TimeSpan? timeout = null) =>
        new DiskCheck(path, TimeProvider.System).CheckAsync(timeout ?? TimeSpan.FromSeconds(10), CancellationToken.None);

    [Fact]
    public async Task Reading_a_regular_file_is_normal()
    {
        string path = _temp.Write("data", new string('x', 10_000));

        CheckResult result = await Read(path);

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
        Assert.StartsWith($"read of {path} took ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_system_without_direct_io_gets_a_cached_read_and_says_so()
    {
        // tmpfs refused O_DIRECT before Linux 6.6; a dd that answers like that stands in for it.
        string path = _temp.Write("data", "data");
        string dd = _temp.Write("dd", """
            #!/bin/sh
            for a; do [ "$a" = iflag=direct ] && { echo "dd: failed to open '$path': Invalid argument" >&2; exit 1; }; done
            exec dd "$@"
            """.Replace("$path", path, StringComparison.Ordinal), executable: true);

        CheckResult result = await new DiskCheck(path, TimeProvider.System, dd).CheckAsync(TimeSpan.FromSeconds(10), CancellationToken.None);

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
        Assert.Matches($"^read of {path} took [0-9]+ms \\(its file system refuses O_DIRECT: read through the page cache\\)$", result.Reason);
    }

    [Fact]
    public async Task A_tmpfs_file_reads_fine()
    {
        string path = Path.Combine("/dev/shm", $"palisade-disk-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(path, "data");
        try
        {
            CheckResult result = await Read(path);

            Assert.Equal(CheckOutcome.Normal, result.Outcome);
            Assert.StartsWith($"read of {path} took ", result.Reason, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_missing_file_is_an_error_with_dd_s_words()
    {
        string path = _temp.File("absent");

        CheckResult result = await Read(path);

        Assert.Equal(CheckOutcome.Error, result.Outcome);
        Assert.StartsWith($"read of {path} failed (dd exited 1): ", result.Reason, StringComparison.Ordinal);
        Assert.Contains("No such file or directory", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_that_hangs_times_out_at_the_timeout()
    {
        // Opening a FIFO for reading blocks until a writer comes: none does.
        string fifo = _temp.File("hung");
        ProcessResult made = await ProcessRunner.RunAsync(new ProcessSpec("mkfifo", [fifo], Timeout: TimeSpan.FromSeconds(10)), CancellationToken.None);
        Assert.Equal(0, made.ExitCode);
        var clock = Stopwatch.StartNew();

        CheckResult result = await Read(fifo, TimeSpan.FromSeconds(1));

        Assert.Equal(CheckOutcome.TimedOut, result.Outcome);
        Assert.Equal($"read of {fifo} did not finish within 1s", result.Reason);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
    }
}
