using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class WatchdogShutdownAgentTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 2, 18, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan WatchdogTimeout = TimeSpan.FromSeconds(5);

    private readonly SteppedClock _clock = new(T0);
    private readonly Board _board;
    private readonly ShutdownAgentServices _services;

    public WatchdogShutdownAgentTests()
    {
        _board = new Board(_clock);
        _services = new ShutdownAgentServices(new ListLoggerFactory(), _clock) { Liveness = _board };
        _board.Node = new NodeLiveness("/var/lib/palisade/watchdog", WatchdogTimeout, Member: false, LostAt: T0, LastSignOfLife: T0 - TimeSpan.FromSeconds(2));
    }

    private IShutdownAgent Agent(TimeSpan timeout) =>
        ShutdownAgentFactory.Create(new ShutdownAgentConfig { Type = "watchdog", Timeout = timeout }, new ShutdownTarget("n2", 2, ["198.18.0.12"]), _services);

    [Fact]
    public async Task A_lost_node_counts_as_down_twice_its_watchdog_timeout_after_it_was_lost()
    {
        var kill = Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);

        var waited = await _clock.RunAsync(kill);

        Assert.Equal(TimeSpan.FromSeconds(10), waited);
        Assert.Equal((AgentOutcome.Success, "n2 via watchdog: its watchdog must have reset it: it was lost 10s ago, twice its watchdog timeout (10s)"),
            ((await kill).Outcome, (await kill).Reason));
    }

    [Fact]
    public async Task An_advert_after_the_loss_but_before_the_attempt_moves_the_wait_to_start_there()
    {
        await _clock.RunAsync(Task.Delay(TimeSpan.FromSeconds(3), _clock));
        _board.Node = _board.Node with { LastSignOfLife = T0 + TimeSpan.FromSeconds(1) };

        var kill = Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);
        var waited = await _clock.RunAsync(kill);

        Assert.Equal(TimeSpan.FromSeconds(8), waited); // 1 s + 10 s after T0, the attempt began at T0 + 3 s
        Assert.Equal("n2 via watchdog: its watchdog must have reset it: its last sign of life, 10s ago, twice its watchdog timeout (10s)", (await kill).Reason);
    }

    [Fact]
    public async Task A_node_back_in_the_membership_fails_the_attempt()
    {
        var kill = Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);

        var waited = await _clock.RunAsync(kill, at => _board.Node = at >= TimeSpan.FromSeconds(3) ? _board.Node with { Member = true } : _board.Node);

        Assert.Equal(TimeSpan.FromSeconds(3), waited);
        Assert.Equal((AgentOutcome.Failed, "n2 via watchdog: it is a member of this partition: it is alive, and a watchdog never stops a running node"),
            ((await kill).Outcome, (await kill).Reason));
    }

    [Fact]
    public async Task An_advert_during_the_wait_fails_the_attempt()
    {
        var kill = Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);

        var waited = await _clock.RunAsync(kill, at =>
        {
            if (at == TimeSpan.FromSeconds(4))
            {
                _board.Node = _board.Node with { LastSignOfLife = T0 + at };
            }
        });

        Assert.Equal(TimeSpan.FromSeconds(4), waited);
        Assert.Equal((AgentOutcome.Failed, "n2 via watchdog: it sent a partition advert during the wait: it is alive, and its watchdog has not reset it"),
            ((await kill).Outcome, (await kill).Reason));
    }

    [Fact]
    public async Task An_attempt_too_short_for_the_wait_times_out_at_once_saying_when_the_node_counts_as_down()
    {
        var result = await Agent(TimeSpan.FromSeconds(8)).KillAsync(CancellationToken.None);

        Assert.Equal((AgentOutcome.TimedOut, "n2 via watchdog: it counts as down only 10s from now (it was lost 0ms ago; twice its watchdog timeout is 10s), after this attempt's timeout"),
            (result.Outcome, result.Reason));
    }

    [Fact]
    public async Task A_node_without_a_watchdog_or_not_seen_lost_is_never_confirmed()
    {
        _board.Node = _board.Node with { LostAt = null };
        var notLost = await Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);
        _board.Node = _board.Node with { Watchdog = null };
        var none = await Agent(TimeSpan.FromSeconds(20)).KillAsync(CancellationToken.None);
        var test = await Agent(TimeSpan.FromSeconds(20)).TestAsync(CancellationToken.None);

        Assert.Equal((AgentOutcome.Failed, "n2 via watchdog: it was not seen lost from this partition: a watchdog confirms only a lost node"), (notLost.Outcome, notLost.Reason));
        Assert.Equal((AgentOutcome.NotConfigured, "n2 via watchdog: n2 has no watchdog device ('watchdog' in its node entry)"), (none.Outcome, none.Reason));
        Assert.Equal(AgentOutcome.NotConfigured, test.Outcome);
    }

    private sealed class Board(TimeProvider clock) : INodeLiveness
    {
        public DateTimeOffset Now => clock.GetUtcNow();

        public NodeLiveness Node { get; set; } = null!;

        public NodeLiveness Of(string node) => node == "n2" ? Node : throw new InvalidOperationException(node);
    }
}
