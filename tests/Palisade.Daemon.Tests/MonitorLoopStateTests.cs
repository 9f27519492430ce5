using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Daemon;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>How checks in a row become a monitor's status on this node, and when it checks at all.</summary>
public sealed class MonitorLoopStateTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 3, 9, 0, 0, TimeSpan.Zero);

    private static MonitorConfig Monitor(int retries = 0, MonitorTiming timing = MonitorTiming.Always, bool timeoutIsError = true, int startDelaySeconds = 0) => new()
    {
        Name = "m",
        Kind = MonitorKind.Custom,
        Target = "web",
        Command = "true",
        Retries = retries,
        Timing = timing,
        TimeoutIsError = timeoutIsError,
        StartDelay = TimeSpan.FromSeconds(startDelaySeconds),
    };

    private static CheckResult Result(CheckOutcome outcome) => new(outcome, outcome.ToString(), TimeSpan.FromMilliseconds(5));

    [Fact]
    public void Failures_within_retries_are_not_an_error_and_the_next_one_is()
    {
        var loop = new MonitorLoopState(Monitor(retries: 2));
        loop.Idle(null, null, "n1", T0);
        Assert.True(loop.Checking);

        Assert.Equal(MonitorStep.Changed, loop.Record(Result(CheckOutcome.Normal)));
        Assert.Equal(MonitorStep.Retrying, loop.Record(Result(CheckOutcome.Error)));
        Assert.Equal(MonitorStep.Retrying, loop.Record(Result(CheckOutcome.TimedOut)));
        Assert.Equal(MonitorHealth.Normal, loop.Health);
        Assert.Equal(MonitorStep.Changed, loop.Record(Result(CheckOutcome.Error)));
        Assert.Equal((MonitorHealth.Error, 3), (loop.Health, loop.Failures));

        Assert.Equal(MonitorStep.Changed, loop.Record(Result(CheckOutcome.Warning)));
        Assert.Equal((MonitorHealth.Warning, 0), (loop.Health, loop.Failures));
    }

    [Fact]
    public void With_on_timeout_ignore_a_timeout_changes_nothing()
    {
        var loop = new MonitorLoopState(Monitor(timeoutIsError: false));
        loop.Idle(null, null, "n1", T0);
        loop.Record(Result(CheckOutcome.Normal));

        Assert.Equal(MonitorStep.Unchanged, loop.Record(Result(CheckOutcome.TimedOut)));
        Assert.Equal((MonitorHealth.Normal, 0), (loop.Health, loop.Failures));
        Assert.Equal(MonitorStep.Changed, loop.Record(Result(CheckOutcome.Error)));
    }

    [Fact]
    public void With_timing_active_it_checks_only_where_its_target_is_online_and_after_start_delay()
    {
        var config = TestCluster();
        var loop = new MonitorLoopState(Monitor(timing: MonitorTiming.Active, startDelaySeconds: 5));
        var state = ClusterState.Initial(config);

        Assert.Null(loop.Idle(state, null, "n1", T0));
        Assert.False(loop.Checking);

        var online = state with { Groups = state.Groups.SetItem("web", state.Groups["web"] with { State = GroupState.Online, Node = "n1" }) };
        Assert.Equal("starts: web is active here", loop.Idle(online, null, "n1", T0));
        Assert.False(loop.Checking); // start_delay
        loop.Idle(online, null, "n1", T0.AddSeconds(5));
        Assert.True(loop.Checking);
        loop.Record(Result(CheckOutcome.Error));
        Assert.Equal(MonitorHealth.Error, loop.Health);

        Assert.Equal("is idle: web is not active here", loop.Idle(state, null, "n1", T0.AddSeconds(6)));
        Assert.Equal((false, (MonitorHealth?)null), (loop.Checking, loop.Health));
    }

    [Fact]
    public void A_suspended_monitor_does_not_check_until_resumed()
    {
        var loop = new MonitorLoopState(Monitor());
        loop.Idle(null, null, "n1", T0);
        loop.Record(Result(CheckOutcome.Error));

        Assert.Equal("suspended: not run until resumed", loop.Idle(null, new MonitorOnNode { Health = MonitorHealth.Suspended }, "n1", T0));
        Assert.False(loop.Checking);
        Assert.Null(loop.Health);
        Assert.Equal("resumed", loop.Idle(null, new MonitorOnNode(), "n1", T0));
        Assert.True(loop.Checking);
    }

    private static ClusterConfig TestCluster() => new()
    {
        Name = "t",
        Totem = new TotemConfig(),
        Nodes = [new NodeConfig { Name = "n1", Id = 1, Interconnect = ["198.18.0.1"] }],
        Groups = [new GroupConfig { Name = "web", Nodes = ["n1"], Resources = [] }],
    };
}
