using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.State;
using Palisade.Core.Status;
using Palisade.Simulation.Schedules;
using Palisade.Simulation.World;
using Xunit;

namespace Palisade.Simulation.Tests;

/// <summary>
/// Builds and drives a simulated world for a hand-written scenario and reads what its real hosts hold: their
/// replicated state, the messages CPG delivered, and what the control entry point answers. One seed per world.
/// </summary>
internal static class Scenario
{
    public const int Seed = 17;

    /// <summary>Three nodes and one group, g1, preferring n1, then n2, then n3.</summary>
    public static ClusterConfig ThreeNodesOneGroup() => SimClusters.Custom([1, 1, 1], ["n1", "n2", "n3"]);

    /// <summary>A two_node cluster with one group, g1, preferring n1.</summary>
    public static ClusterConfig TwoNodesOneGroup() => SimClusters.Custom([1, 1], ["n1", "n2"]);

    /// <summary>The same cluster with votequorum's wait_for_all off: a majority is quorate without ever having seen every node.</summary>
    public static ClusterConfig WithoutWaitForAll(ClusterConfig config) => config with { Totem = config.Totem with { WaitForAll = false } };

    /// <summary>A world whose nodes are all off, recording every delivered message.</summary>
    public static SimWorld AllOff(ClusterConfig config, int seed = Seed) => new(config, seed, keepTrace: true) { RecordMessages = true };

    /// <summary>Every node powered on at once; returns once every group runs on its first node and every palisaded holds the state.</summary>
    public static SimWorld Booted(ClusterConfig config, int seed = Seed)
    {
        var world = AllOff(config, seed);
        PowerOnAll(world);
        Assert.True(RunUntil(world, 30, () => world.Config.Groups.All(g => IsOnlineOnlyOn(world, g.Name, g.Nodes[0]))
            && world.Nodes.All(n => StateOf(world, n.Name) is not null)), Tail(world));
        Run(world, 1);
        return world;
    }

    public static void PowerOnAll(SimWorld world)
    {
        foreach (var node in world.Nodes)
        {
            world.PowerOn(node);
        }
    }

    /// <summary>
    /// <paramref name="name"/> powers on and its palisaded starts once its corosync is in one ring with every node it
    /// can reach: it joins the others' CPG group rather than first forming a state of its own, alone.
    /// </summary>
    public static void Boot(SimWorld world, string name)
    {
        var node = world.Node(name);
        world.PowerOn(node, startDaemon: false);
        Assert.True(RunUntil(world, 10, () => node.CorosyncAlive && node.Ring!.Count == world.Nodes.Count(n => n.CorosyncAlive && n.Side == node.Side)), Tail(world));
        world.StartDaemon(node);
    }

    public static void Run(SimWorld world, double seconds) => world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(seconds));

    /// <summary>Runs until <paramref name="condition"/> holds (checked after every event) or <paramref name="seconds"/> pass.</summary>
    public static bool RunUntil(SimWorld world, double seconds, Func<bool> condition)
    {
        world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(seconds), condition);
        return condition();
    }

    /// <summary>The state the palisaded on <paramref name="node"/> holds, or null (not running, or waiting for a snapshot).</summary>
    public static ClusterState? StateOf(SimWorld world, string node) =>
        world.Node(node).Process is { Exited: false, Host.Replica: { Phase: ReplicaPhase.Synced } replica } ? replica.State : null;

    /// <summary>The state held where quorum is (the lowest such node), else by the lowest node holding one.</summary>
    public static ClusterState Held(SimWorld world)
    {
        var holders = world.Nodes.Where(n => StateOf(world, n.Name) is not null).ToList();
        var node = holders.FirstOrDefault(n => n.Quorate) ?? holders.FirstOrDefault()
            ?? throw new InvalidOperationException("no palisaded holds the state");
        return StateOf(world, node.Name)!;
    }

    public static GroupStatus Group(SimWorld world, string group) => Held(world).Groups[group];

    public static NodeStatus NodeStatus(SimWorld world, string node) => Held(world).Nodes[node];

    /// <summary>
    /// The group is Online on <paramref name="node"/> in every state held on the quorate side (every state held when no
    /// side is quorate) and really runs there only.
    /// </summary>
    public static bool IsOnlineOnlyOn(SimWorld world, string group, string node)
    {
        var states = world.Nodes.Where(n => n.Quorate).Select(n => StateOf(world, n.Name)).OfType<ClusterState>().ToList();
        if (states.Count == 0)
        {
            states = [.. world.Nodes.Select(n => StateOf(world, n.Name)).OfType<ClusterState>()];
        }

        return states.Count > 0
            && states.All(s => s.Groups[group] is { State: GroupState.Online } g && g.Node == node)
            && world.Ledger.NodesRunning(group).SequenceEqual([node]);
    }

    /// <summary>An operator command on <paramref name="node"/>, as the CLI would send it; returns the answer.</summary>
    public static ControlResponse Submit(SimWorld world, string node, ControlRequest request)
    {
        ControlResponse? answer = null;
        var process = world.Node(node).Process ?? throw new InvalidOperationException($"no palisaded on {node}");
        process.Submit(request, r => answer = r);
        world.Scheduler.RunUntil(world.Now + TimeSpan.FromSeconds(5), () => answer is not null);
        return answer ?? throw new InvalidOperationException($"palisaded on {node} did not answer {request}");
    }

    /// <summary><c>palisade group ACTION GROUP [TO]</c> on <paramref name="node"/>; asserts it was accepted.</summary>
    public static void Operator(SimWorld world, string node, string action, string group, string? to = null)
    {
        var answer = Submit(world, node, new ControlRequest("group", action, group, to));
        Assert.True(answer.Ok, answer.Error);
    }

    /// <summary><c>palisade sd</c> with <paramref name="action"/> on <paramref name="node"/>; asserts it was accepted.</summary>
    public static void Sd(SimWorld world, string node, string action, string? target = null)
    {
        var answer = Submit(world, node, new ControlRequest("sd", action, Target: target));
        Assert.True(answer.Ok, answer.Error);
    }

    /// <summary>What <c>palisade status</c> shows on <paramref name="node"/>.</summary>
    public static StatusReport Status(SimWorld world, string node) =>
        Submit(world, node, new ControlRequest("status")).Status ?? throw new InvalidOperationException($"{node} gave no status");

    /// <summary>Every node's shutdown agent for <paramref name="target"/> fails its kills (the BMC refuses; the node keeps running).</summary>
    public static void FailKills(SimWorld world, string target)
    {
        foreach (var node in world.Nodes)
        {
            world.Faults.Set(node.Name, target, AgentAction.Kill, AgentFault.Fail);
        }
    }

    /// <summary>The resource agents of <paramref name="group"/> on <paramref name="node"/> fail <paramref name="action"/>.</summary>
    public static void FailResources(SimWorld world, string node, string group, AgentAction action) =>
        world.Faults.Set(node, group, action, AgentFault.Fail);

    /// <summary>Delivered messages of one type, in delivery order.</summary>
    public static List<T> Messages<T>(SimWorld world)
        where T : ClusterMessage => [.. world.Delivered.Select(d => d.Message).OfType<T>()];

    /// <summary>Position of the first delivered message matching, or -1.</summary>
    public static int IndexOf(SimWorld world, Func<ClusterMessage, bool> match)
    {
        for (var i = 0; i < world.Delivered.Count; i++)
        {
            if (match(world.Delivered[i].Message))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The start of <paramref name="group"/> on <paramref name="next"/> was ordered after <paramref name="fenced"/> was fenced.</summary>
    public static void AssertFencedBeforeStart(SimWorld world, string fenced, string group, string next)
    {
        var fencedAt = IndexOf(world, m => m is FenceCompleted { Success: true } f && f.Target == fenced);
        var startedAt = IndexOf(world, m => m is GroupStartOrdered s && s.Group == group && s.Node == next);
        Assert.True(fencedAt >= 0, $"{fenced} was never fenced");
        Assert.True(startedAt > fencedAt, $"the start of {group} on {next} (message {startedAt}) is not after {fenced} was fenced (message {fencedAt})");
    }

    /// <summary>Every palisaded holding the state holds the same one (compare once nothing is in flight).</summary>
    public static void AssertOneState(SimWorld world, params string[] nodes)
    {
        var names = nodes.Length > 0 ? nodes : [.. world.Nodes.Select(n => n.Name)];
        var states = names.Select(n => (Node: n, State: StateOf(world, n))).ToList();
        Assert.All(states, s => Assert.True(s.State is not null, $"{s.Node} holds no state"));
        Assert.Single(states.Select(s => (s.State!.Version, StateHasher.Hash(s.State))).Distinct());
        world.Checks.CheckAgreement();
    }

    /// <summary>The last lines of the run's trace, for failure messages.</summary>
    public static string Tail(SimWorld world, int lines = 150) =>
        string.Join("\n", world.Trace.Text.Split('\n').TakeLast(lines));
}
