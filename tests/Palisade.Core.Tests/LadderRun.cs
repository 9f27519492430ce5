using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Planning;
using Palisade.Core.State;

namespace Palisade.Core.Tests;

/// <summary>Drives the coordinator and the state machine through a recovery ladder, as the nodes would.</summary>
internal static class LadderRun
{
    public static readonly DateTimeOffset T0 = TestConfigs.Epoch;

    public static ClusterState Apply(ClusterConfig config, ClusterState s, ClusterMessage m) => StateMachine.Apply(config, s, m).State;

    /// <summary>Carries out the coordinator's (n1's) decisions, the nodes reporting each stop and start done, until it has none.</summary>
    public static (ClusterState State, List<string> Steps) Settle(ClusterConfig config, ClusterState s)
    {
        var steps = new List<string>();
        for (var round = 0; round < 50; round++)
        {
            var plan = Coordinator.Decide(config, s, new PlanContext("n1", true, T0, T0));
            if (plan.Decisions.IsEmpty)
            {
                return (s, steps);
            }

            foreach (var decision in plan.Decisions)
            {
                var before = s;
                s = Apply(config, s, decision.Message);
                steps.Add(decision.Message switch
                {
                    RecoveryOrdered r => $"{r.Rung} {r.Node}",
                    GroupStopOrdered o => $"stop {o.Node}",
                    GroupStartOrdered o => $"start {o.Node}",
                    _ => decision.Key,
                });
                s = decision.Message switch
                {
                    GroupStopOrdered o => Apply(config, s, new GroupStopped(o.Group, o.Node, "stopped") { From = o.Node, At = T0 }),
                    GroupStartOrdered o => Apply(config, s, new GroupStarted(o.Group, o.Node) { From = o.Node, At = T0 }),
                    _ => s,
                };

                // A restart or failover stops the group where it failed in the same step: that node reports it stopped.
                foreach (var stopping in s.Groups.Values.Where(g => g.State == GroupState.Stopping && before.Groups[g.Name].State == GroupState.Online).ToList())
                {
                    steps.Add($"stop {stopping.Node}");
                    s = Apply(config, s, new GroupStopped(stopping.Name, stopping.Node!, "stopped") { From = stopping.Node!, At = T0 });
                }
            }
        }

        throw new InvalidOperationException("the coordinator never settled: " + string.Join(", ", steps));
    }

    /// <summary>The local effects <paramref name="node"/> gets from <paramref name="message"/>, holding <paramref name="state"/> (taken as a snapshot on joining).</summary>
    public static System.Collections.Immutable.ImmutableArray<Palisade.Core.Replication.LocalEffect> EffectsOn(ClusterConfig config, string node, ClusterState state, ClusterMessage message)
    {
        var replica = new Palisade.Core.Replication.Replica(config, node);
        var id = config.FindNode(node)!.Id;
        replica.Deliver(new MembershipChanged([.. state.Members], [], [id]), T0);
        replica.Deliver(new StateSnapshot([id], state) { From = config.Nodes.First(n => n.Name != node).Name, At = T0 }, T0);
        if (replica.Phase != Palisade.Core.Replication.ReplicaPhase.Synced)
        {
            throw new InvalidOperationException($"{node} did not take the snapshot ({replica.Phase})");
        }

        return replica.Deliver(message, T0).Effects;
    }

    /// <summary>Every node of <paramref name="config"/> a member, the cluster settled and every node probed (nothing runs).</summary>
    public static ClusterState Formed(ClusterConfig config)
    {
        var s = ClusterState.Initial(config);
        System.Collections.Immutable.ImmutableArray<uint> ids = [.. config.Nodes.Select(n => n.Id)];
        s = Apply(config, s, new MembershipChanged(ids, [], ids));
        s = Apply(config, s, new ClusterSettled("test") { From = "n1", At = T0 });
        foreach (var n in config.Nodes)
        {
            s = Apply(config, s, new ProbeReport([]) { From = n.Name, At = T0 });
        }

        return s;
    }

    /// <summary>Four nodes in two server groups (site-a: n1, n2; site-b: n3, n4); web listed n1, n3, n2, n4 with this ladder.</summary>
    public static ClusterConfig TwoSites(RecoveryConfig recovery)
    {
        var four = TestConfigs.Cluster(4, TestConfigs.Group("web", "n1", "n3", "n2", "n4"));
        return four with
        {
            ServerGroups =
            [
                new ServerGroupConfig { Name = "site-a", Nodes = ["n1", "n2"] },
                new ServerGroupConfig { Name = "site-b", Nodes = ["n3", "n4"] },
            ],
            Groups = [four.Groups[0] with { Resources = [.. four.Groups[0].Resources.Select(r => r with { Recovery = recovery })] }],
        };
    }
}
