using System.Diagnostics;
using System.Globalization;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class ProcessRunnerTests
{
    private static Task<ProcessResult> Shell(string script, TimeSpan? timeout = null, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null, CancellationToken ct = default) =>
        ProcessRunner.RunAsync(new ProcessSpec("/bin/sh", ["-c", script], environment, stdin, timeout), ct);

    [Fact]
    public async Task Reports_exit_code_and_both_streams()
    {
        ProcessResult result = await Shell("printf out; printf err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.Equal("out", result.StandardOutput);
        Assert.Equal("err", result.StandardError);
    }

    [Fact]
    public async Task Passes_arguments_verbatim()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/usr/bin/printf", ["%s|", "a b", "$HOME", "'q'"]), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("a b|$HOME|'q'|", result.StandardOutput);
    }

    [Fact]
    public async Task Feeds_standard_input_then_closes_it()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/bin/cat", [], StandardInput: "line 1\nlïne 2\n"), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("line 1\nlïne 2\n", result.StandardOutput);
    }

    [Fact]
    public async Task Unread_large_input_does_not_block()
    {
        var clock = Stopwatch.StartNew();

        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/bin/sh", ["-c", "exit 4"], StandardInput: new string('x', 1 << 20), Timeout: TimeSpan.FromSeconds(10)),
            CancellationToken.None);

        Assert.Equal(4, result.ExitCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task Child_without_input_reads_end_of_file_not_our_stdin()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/bin/cat", [], Timeout: TimeSpan.FromSeconds(10)), CancellationToken.None);

        Assert.False(result.TimedOut);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.StandardOutput);
    }

    [Fact]
    public async Task Adds_environment_variables_to_the_inherited_environment()
    {
        var environment = new Dictionary<string, string> { ["PALISADE_TEST_VALUE"] = "x=1 y" };

        ProcessResult result = await Shell("printf '%s|%s' \"$PALISADE_TEST_VALUE\" \"${PATH:+has-path}\"", environment: environment);

        Assert.Equal("x=1 y|has-path", result.StandardOutput);
    }

    [Fact]
    public async Task Timeout_kills_the_whole_process_tree()
    {
        var clock = Stopwatch.StartNew();

        ProcessResult result = await Shell("sleep 60 & echo $!; wait", TimeSpan.FromMilliseconds(500));

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(5));
        int child = int.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        try
        {
            Assert.True(await Processes.EventuallyAsync(() => Processes.IsGone(child), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            Processes.KillIfAlive(child);
        }
    }

    [Fact]
    public async Task Cancellation_kills_the_tree_and_throws()
    {
        using var cts = new CancellationTokenSource();
        using var temp = new TempDir();
        string pidFile = temp.File("child.pid");
        Task<ProcessResult> run = Shell($"sleep 60 & echo $! > {pidFile}; wait", ct: cts.Token);
        Assert.True(await Processes.EventuallyAsync(() => File.Exists(pidFile) && File.ReadAllText(pidFile).EndsWith('\n'), TimeSpan.FromSeconds(5)));
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), CultureInfo.InvariantCulture);

        try
        {
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
            Assert.True(await Processes.EventuallyAsync(() => Processes.IsGone(child), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            Processes.KillIfAlive(child);
        }
    }

    [Fact]
    public async Task Background_child_holding_stdout_does_not_hang_the_runner()
    {
        var clock = Stopwatch.StartNew();

        // The daemon inherits stdout and stderr and keeps them open for 30 s.
        ProcessResult result = await Shell("sleep 30 & echo $!; echo started >&2", TimeSpan.FromSeconds(20));

        int daemon = int.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        try
        {
            Assert.False(result.TimedOut);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("started\n", result.StandardError);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
            Assert.False(Processes.IsGone(daemon)); // a clean exit leaves background daemons running
        }
        finally
        {
            Processes.KillIfAlive(daemon);
        }
    }

    [Fact]
    public async Task Background_child_can_still_write_after_the_runner_returned()
    {
        using var temp = new TempDir();
        string marker = temp.File("wrote-late");

        // Without a reader on the pipe the late echo would die of SIGPIPE and never reach the touch.
        ProcessResult result = await Shell($"(sleep 2; echo late; echo late >&2; touch {marker}; exec sleep 30) & echo $!");

        int daemon = int.Parse(result.StandardOutput.Trim(), CultureInfo.InvariantCulture);
        try
        {
            Assert.Equal(0, result.ExitCode);
            Assert.True(await Processes.EventuallyAsync(() => File.Exists(marker), TimeSpan.FromSeconds(10)));
            Assert.False(Processes.IsGone(daemon));
            Assert.DoesNotContain("late", result.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            Processes.KillIfAlive(daemon);
        }
    }

    [Fact]
    public async Task Output_is_bounded_keeping_head_and_tail()
    {
        ProcessResult result = await Shell("printf begin; head -c 1000000 /dev/zero | tr '\\0' a; printf end");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("begin", result.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("end", result.StandardOutput, StringComparison.Ordinal);
        // 1,000,008 bytes written; 32 KiB of head and 32 KiB of tail kept.
        const string marker = "\n[... 934472 bytes omitted ...]\n";
        Assert.Contains(marker, result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(65536 + marker.Length, result.StandardOutput.Length);
    }

    [Fact]
    public async Task A_program_that_cannot_start_gives_a_result_not_an_exception()
    {
        ProcessResult result = await ProcessRunner.RunAsync(
            new ProcessSpec("/nonexistent/palisade-tool", []), CancellationToken.None);

        Assert.Null(result.ExitCode);
        Assert.False(result.TimedOut);
        Assert.StartsWith("cannot start /nonexistent/palisade-tool: ", result.StandardError, StringComparison.Ordinal);
    }
}
