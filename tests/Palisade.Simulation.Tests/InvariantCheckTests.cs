using Palisade.Core.Messages;
using Palisade.Core.State;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>The checks see what they must: the payload filter, a double activation, a fence without quorum.</summary>
public sealed class InvariantCheckTests
{
    private static readonly DateTimeOffset At = SimWorld.Epoch;

    [Fact]
    public void The_delivery_filter_passes_operator_requests_only()
    {
        var checks = new SimWorld(SimClusters.Get("three"), 1, keepTrace: false).Checks;

        Assert.True(checks.Watches(MessageCodec.Encode(new AdminRequest("g1", AdminAction.Stop, null, "op") { From = "n1", At = At })));
        Assert.False(checks.Watches(MessageCodec.Encode(new GroupStartOrdered("g1", "n2", "why") { From = "n1", At = At })));
        Assert.False(checks.Watches(MessageCodec.Encode(new NodeLeaving("bye") { From = "n1", At = At })));
    }

    [Fact]
    public void A_group_started_on_a_second_node_is_a_double_activation()
    {
        var world = new SimWorld(SimClusters.Get("three"), 1, keepTrace: false);

        world.Ledger.Start("n1", "g1", "ip");
        world.Ledger.Start("n2", "g1", "ip");

        Assert.Single(world.Checks.Violations, v => v.Contains("double activation: g1 runs on n1 and n2", StringComparison.Ordinal));
    }

    [Fact]
    public void A_kill_from_a_node_without_quorum_is_a_violation()
    {
        var world = new SimWorld(SimClusters.Get("three"), 1, keepTrace: false);

        world.Checks.OnKillBegins(world.Node("n1"), world.Node("n2"));

        Assert.Single(world.Checks.Violations, v => v.Contains("n1 started fencing n2 without quorum", StringComparison.Ordinal));
    }

    [Fact]
    public void Sides_fencing_each_other_is_a_violation()
    {
        var world = new SimWorld(SimClusters.Get("two"), 1, keepTrace: false);
        world.Node("n2").Side = 1;

        world.Checks.OnFencePowerOff(world.Node("n1"), world.Node("n2"));
        world.Checks.OnFencePowerOff(world.Node("n2"), world.Node("n1"));

        Assert.Single(world.Checks.Violations, v => v.Contains("both sides of the split fenced each other", StringComparison.Ordinal));
    }
}
