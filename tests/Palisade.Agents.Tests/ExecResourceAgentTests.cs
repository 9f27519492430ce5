using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class ExecResourceAgentTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private IResourceAgent Agent(string? start, string? stop = null, string? monitor = null, ImmutableSortedDictionary<string, string>? parameters = null, TimeSpan? timeout = null)
    {
        var resource = new ResourceConfig
        {
            Name = "web",
            Kind = ResourceKind.Exec,
            StartCommand = start,
            StopCommand = stop,
            MonitorCommand = monitor,
            Parameters = parameters ?? ImmutableSortedDictionary<string, string>.Empty,
            StartTimeout = timeout ?? TimeSpan.FromSeconds(10),
            StopTimeout = timeout ?? TimeSpan.FromSeconds(10),
            MonitorTimeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        return ResourceAgentFactory.Create(resource, "g1", "n1", new StartMarkers(_temp.File("started")), NullLoggerFactory.Instance);
    }

    [Fact]
    public async Task Start_stop_monitor_succeed_and_see_their_environment()
    {
        string Check(string action) =>
            $"test \"$PALISADE_RESOURCE/$PALISADE_GROUP/$PALISADE_NODE/$PALISADE_ACTION/$port\" = \"web/g1/n1/{action}/8080\"";
        var parameters = ImmutableSortedDictionary<string, string>.Empty.Add("port", "8080");
        IResourceAgent agent = Agent(Check("start"), Check("stop"), Check("monitor"), parameters);

        AgentResult start = await agent.StartAsync(CancellationToken.None);
        AgentResult monitor = await agent.MonitorAsync(CancellationToken.None);
        AgentResult stop = await agent.StopAsync(CancellationToken.None);

        Assert.Equal("web", agent.Name);
        Assert.Equal(new AgentResult(AgentOutcome.Success, 0, "web start succeeded", "", start.Duration), start);
        Assert.Equal(new AgentResult(AgentOutcome.Success, 0, "web is running", "", monitor.Duration), monitor);
        Assert.Equal(new AgentResult(AgentOutcome.Success, 0, "web stop succeeded", "", stop.Duration), stop);
        Assert.True(start.Succeeded);
    }

    [Fact]
    public async Task Failure_reports_exit_code_first_stderr_line_and_excerpt()
    {
        IResourceAgent agent = Agent("echo progress; echo 'port 80 in use' >&2; echo more >&2; exit 2");

        AgentResult result = await agent.StartAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, result.Outcome);
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("web start exited 2: port 80 in use", result.Reason);
        Assert.Equal("stdout: progress\nstderr: port 80 in use\nmore", result.OutputExcerpt);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public async Task Timeout_is_reported_and_the_command_killed()
    {
        string pidFile = _temp.File("sleep.pid");
        IResourceAgent agent = Agent($"sleep 60 & echo $! > {pidFile}; wait", timeout: TimeSpan.FromMilliseconds(400));
        var clock = Stopwatch.StartNew();

        AgentResult result = await agent.StartAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.TimedOut, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.Equal("web start timed out after 400ms", result.Reason);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        int child = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            Assert.True(await Processes.EventuallyAsync(() => Processes.IsGone(child), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            Processes.KillIfAlive(child);
        }
    }

    [Theory]
    [InlineData("exit 0", AgentOutcome.Success, "web is running")]
    [InlineData("exit 7", AgentOutcome.NotRunning, "web is not running (monitor exited 7)")]
    [InlineData("exit 3", AgentOutcome.NotRunning, "web is not running (monitor exited 3)")]
    [InlineData("echo boom >&2; exit 1", AgentOutcome.Failed, "web monitor exited 1: boom")]
    [InlineData("exit 8", AgentOutcome.Failed, "web monitor exited 8")]
    public async Task Monitor_maps_exit_codes(string command, AgentOutcome outcome, string reason)
    {
        AgentResult result = await Agent("true", "true", command).MonitorAsync(CancellationToken.None);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
    }

    [Fact]
    public async Task Stop_succeeds_only_on_exit_zero()
    {
        AgentResult result = await Agent("true", "exit 7").StopAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, result.Outcome);
        Assert.Equal(7, result.ExitCode);
    }

    [Fact]
    public async Task Without_a_monitor_command_it_runs_exactly_from_its_start_to_a_stop_that_worked()
    {
        var before = await Agent("true", "true").MonitorAsync(CancellationToken.None);
        await Agent("exit 1", "true").StartAsync(CancellationToken.None); // a failed start may have left something
        var afterFailedStart = await Agent("true", "true").MonitorAsync(CancellationToken.None);
        await Agent("true", "exit 1").StopAsync(CancellationToken.None);
        var afterFailedStop = await Agent("true", "true").MonitorAsync(CancellationToken.None);
        await Agent("true", "true").StopAsync(CancellationToken.None);
        var afterStop = await Agent("true", "true").MonitorAsync(CancellationToken.None);

        Assert.Equal((AgentOutcome.NotRunning, "web has no monitor command; palisaded has not started it since the node booted"), (before.Outcome, before.Reason));
        Assert.Equal((AgentOutcome.Success, "web has no monitor command; palisaded started it since the node booted and has not stopped it"),
            (afterFailedStart.Outcome, afterFailedStart.Reason));
        Assert.Equal(AgentOutcome.Success, afterFailedStop.Outcome);
        Assert.Equal(AgentOutcome.NotRunning, afterStop.Outcome);
        Assert.False(File.Exists(_temp.File("started/g1/web")));
    }

    [Fact]
    public async Task Missing_start_or_stop_command_means_not_configured()
    {
        AgentResult start = await Agent(null).StartAsync(CancellationToken.None);
        AgentResult stop = await Agent("true", "  ").StopAsync(CancellationToken.None);

        Assert.Equal(new AgentResult(AgentOutcome.NotConfigured, null, "web has no start command", "", TimeSpan.Zero), start);
        Assert.Equal(new AgentResult(AgentOutcome.NotConfigured, null, "web has no stop command", "", TimeSpan.Zero), stop);
    }

    [Fact]
    public async Task Secret_parameter_values_never_reach_reason_or_excerpt()
    {
        var parameters = ImmutableSortedDictionary<string, string>.Empty.Add("db_password", "hunter2-xyz");
        IResourceAgent agent = Agent("echo \"login with $db_password\"; echo \"denied for $db_password\" >&2; exit 1", parameters: parameters);

        AgentResult result = await agent.StartAsync(CancellationToken.None);

        Assert.Equal("web start exited 1: denied for ********", result.Reason);
        Assert.Equal("stdout: login with ********\nstderr: denied for ********", result.OutputExcerpt);
    }

    [Fact]
    public async Task Daemon_started_in_background_runs_until_stopped()
    {
        string pidFile = _temp.File("daemon.pid");
        string start = $"sleep 60 & echo $! > {pidFile}; echo daemon started";
        string monitor = $"[ -f {pidFile} ] || exit 7; s=$(sed 's/.*) //' /proc/$(cat {pidFile})/stat | cut -c1); [ \"$s\" != Z ] || exit 1";
        string stop = $"[ -f {pidFile} ] || exit 0; kill $(cat {pidFile}); rm {pidFile}";
        IResourceAgent agent = Agent(start, stop, monitor);
        int daemon = 0;
        try
        {
            var clock = Stopwatch.StartNew();
            AgentResult started = await agent.StartAsync(CancellationToken.None);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"start took {clock.Elapsed}");
            Assert.Equal(AgentOutcome.Success, started.Outcome);
            daemon = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);

            Assert.Equal(AgentOutcome.Success, (await agent.MonitorAsync(CancellationToken.None)).Outcome);
            Assert.Equal(AgentOutcome.Success, (await agent.StopAsync(CancellationToken.None)).Outcome);
            Assert.Equal(AgentOutcome.NotRunning, (await agent.MonitorAsync(CancellationToken.None)).Outcome);
            Assert.Equal(AgentOutcome.Success, (await agent.StopAsync(CancellationToken.None)).Outcome);
            Assert.True(await Processes.EventuallyAsync(() => Processes.IsGone(daemon), TimeSpan.FromSeconds(5)));
        }
        finally
        {
            if (daemon > 0)
            {
                Processes.KillIfAlive(daemon);
            }
        }
    }
}
