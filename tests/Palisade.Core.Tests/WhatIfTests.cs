using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

/// <summary>A dry run shows the coordinator's orders a request would lead to, and changes nothing.</summary>
public sealed class WhatIfTests
{
    private static readonly DateTimeOffset T0 = TestConfigs.Epoch;
    private static readonly Palisade.Core.Configuration.ClusterConfig Config = TestConfigs.ThreeNodesOneGroup();

    private static ClusterState WebOnlineOnN1()
    {
        var s = ClusterState.Initial(Config);
        s = StateMachine.Apply(Config, s, new MembershipChanged([1, 2, 3], [], [1, 2, 3])).State;
        s = StateMachine.Apply(Config, s, new ClusterSettled("test") { From = "n1", At = T0 }).State;
        foreach (var node in new[] { "n1", "n2", "n3" })
        {
            s = StateMachine.Apply(Config, s, new ProbeReport([]) { From = node, At = T0 }).State;
        }

        s = StateMachine.Apply(Config, s, new GroupStartOrdered("web", "n1", "test") { From = "n1", At = T0 }).State;
        return StateMachine.Apply(Config, s, new GroupStarted("web", "n1") { From = "n1", At = T0 }).State;
    }

    // Asked on n3: the preview plans as the coordinator (n1) would.
    private static readonly PlanContext OnN3 = new("n3", true, T0, T0);

    [Fact]
    public void A_move_is_previewed_as_a_stop_where_it_runs_then_a_start_on_the_target_and_the_state_is_untouched()
    {
        var state = WebOnlineOnN1();
        var hash = StateHasher.Hash(state);

        var preview = WhatIf.Of(Config, state, new AdminRequest("web", AdminAction.Move, "n3", "operator on n3") { From = "n3", At = T0 }, OnN3);

        Assert.Equal([("stop", "web", "n1"), ("start", "web", "n3")], preview.Steps.Select(s => (s.Action, s.Group, s.Node)));
        Assert.StartsWith("stop web on n1: ", preview.Steps[0].Text);
        Assert.StartsWith("start web on n3: ", preview.Steps[1].Text);
        Assert.Equal(hash, StateHasher.Hash(state));
    }

    [Fact]
    public void A_stop_is_previewed_as_one_stop_and_nothing_started_after_it()
    {
        var preview = WhatIf.Of(Config, WebOnlineOnN1(), new AdminRequest("web", AdminAction.Stop, null, "operator") { From = "n2", At = T0 }, OnN3);

        var step = Assert.Single(preview.Steps);
        Assert.Equal(("stop", "web", "n1"), (step.Action, step.Group, step.Node));
    }

    [Fact]
    public void A_forced_stop_of_the_node_running_a_group_is_previewed_as_its_fence_then_the_group_started_elsewhere()
    {
        var preview = WhatIf.Of(Config, WebOnlineOnN1(), new FenceRequested("n1", "operator on n2") { From = "n2", At = T0 }, OnN3);

        Assert.True(preview.Steps.Length > 0, string.Join(" / ", preview.Waiting.Concat(preview.Changes)));
        Assert.Equal("fence", preview.Steps[0].Action);
        Assert.Equal("n1", preview.Steps[0].Node);
        Assert.Contains(preview.Steps, s => s is { Action: "start", Group: "web" } && s.Node != "n1");
    }

    [Fact]
    public void Without_quorum_nothing_is_ordered_and_the_preview_says_why()
    {
        var preview = WhatIf.Of(Config, WebOnlineOnN1(), new AdminRequest("web", AdminAction.Move, "n2", "operator") { From = "n1", At = T0 }, OnN3 with { Quorate = false });

        Assert.Empty(preview.Steps);
        Assert.Contains("no quorum: this partition neither fences nor starts anything", preview.Waiting);
    }

    [Fact]
    public void A_start_of_a_group_already_online_orders_nothing()
    {
        var preview = WhatIf.Of(Config, WebOnlineOnN1(), new AdminRequest("web", AdminAction.Start, null, "operator") { From = "n1", At = T0 }, OnN3);

        Assert.Empty(preview.Steps);
    }
}
