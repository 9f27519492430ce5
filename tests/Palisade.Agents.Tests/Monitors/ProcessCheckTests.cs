using System.Diagnostics;
using Palisade.Agents.Monitors;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

public sealed class ProcessCheckTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static Task<CheckResult> ByName(string name, int minCount = 1) =>
        ProcessCheck.ByName(name, minCount, TimeProvider.System).CheckAsync(Timeout, CancellationToken.None);

    private static Task<CheckResult> ByPidFile(string path) =>
        ProcessCheck.ByPidFile(path, TimeProvider.System).CheckAsync(Timeout, CancellationToken.None);

    [Fact]
    public async Task Finds_this_test_process_by_its_kernel_name_and_by_its_command()
    {
        string comm = File.ReadAllText("/proc/self/comm").TrimEnd('\n');
        string command = Path.GetFileName(File.ReadAllText("/proc/self/cmdline").Split('\0')[0].Split(' ')[0]);

        CheckResult byComm = await ByName(comm);
        CheckResult byCommand = await ByName(command);

        Assert.Equal(CheckOutcome.Normal, byComm.Outcome);
        Assert.Matches($"^{comm}: [1-9][0-9]* running$", byComm.Reason);
        Assert.Equal(CheckOutcome.Normal, byCommand.Outcome);
        Assert.True(byComm.Duration > TimeSpan.Zero && byComm.Duration < Timeout, $"took {byComm.Duration}");
    }

    [Fact]
    public async Task A_name_nothing_runs_under_or_too_few_processes_is_an_error()
    {
        string comm = File.ReadAllText("/proc/self/comm").TrimEnd('\n');

        CheckResult none = await ByName("no-such-daemon-x");
        CheckResult tooFew = await ByName(comm, minCount: 100_000);

        Assert.Equal(CheckOutcome.Error, none.Outcome);
        Assert.Equal("no-such-daemon-x: 0 running, at least 1 wanted", none.Reason);
        Assert.Equal(CheckOutcome.Error, tooFew.Outcome);
        Assert.EndsWith(" running, at least 100000 wanted", tooFew.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pid_file_naming_this_process_is_normal()
    {
        string path = _temp.Write("live.pid", $"{Environment.ProcessId}\n");

        CheckResult result = await ByPidFile(path);

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
        Assert.Equal($"process {Environment.ProcessId} of pid file {path} runs", result.Reason);
    }

    [Fact]
    public async Task A_missing_pid_file_or_one_without_a_pid_is_an_error()
    {
        string missing = _temp.File("missing.pid");
        string garbage = _temp.Write("garbage.pid", "not a pid\n");
        string empty = _temp.Write("empty.pid", "");

        CheckResult noFile = await ByPidFile(missing);
        CheckResult noPid = await ByPidFile(garbage);
        CheckResult blank = await ByPidFile(empty);

        Assert.Equal(CheckOutcome.Error, noFile.Outcome);
        Assert.Equal($"pid file {missing} does not exist", noFile.Reason);
        Assert.Equal(CheckOutcome.Error, noPid.Outcome);
        Assert.Equal($"pid file {garbage} holds no pid ('not a pid')", noPid.Reason);
        Assert.Equal(CheckOutcome.Error, blank.Outcome);
    }

    [Fact]
    public async Task A_pid_file_naming_an_exited_process_is_an_error()
    {
        int pid;
        using (var exited = Process.Start("/bin/true"))
        {
            await exited.WaitForExitAsync();
            pid = exited.Id;
        }

        string path = _temp.Write("dead.pid", $"{pid}\n");

        CheckResult result = await ByPidFile(path);

        Assert.Equal(CheckOutcome.Error, result.Outcome);
        Assert.Equal($"process {pid} of pid file {path} is gone", result.Reason);
    }

    [Fact]
    public async Task A_zombie_counts_as_gone()
    {
        // perl forks a child that exits at once and never reaps it: a zombie for as long as perl runs.
        using var parent = new Process
        {
            StartInfo = new ProcessStartInfo("/usr/bin/perl", ["-e", "$| = 1; my $child = fork; exit 0 unless $child; print \"$child\\n\"; sleep 30"])
            {
                RedirectStandardOutput = true,
            },
        };
        parent.Start();
        try
        {
            int zombie = int.Parse((await parent.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await Processes.EventuallyAsync(() => State(zombie) == 'Z', TimeSpan.FromSeconds(10)), $"state {State(zombie)}");
            string path = _temp.Write("zombie.pid", $"{zombie}\n");

            CheckResult result = await ByPidFile(path);

            Assert.Equal(CheckOutcome.Error, result.Outcome);
            Assert.Equal($"process {zombie} of pid file {path} is gone", result.Reason);
        }
        finally
        {
            Processes.KillIfAlive(parent.Id);
        }
    }

    private static char State(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (IOException)
        {
            return '-';
        }
    }
}
