using System.Diagnostics;
using Palisade.Corosync.Tests.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Corosync.Tests.Lab.ProbeEvents;

namespace Palisade.Corosync.Tests;

/// <summary>Destructive tests: each builds its own cluster and kills corosync daemons.</summary>
public sealed class NodeFailureTests(ITestOutputHelper output)
{
    [Fact]
    public void Killing_a_nodes_corosync_gives_its_probe_CorosyncLost_and_the_survivor_NodeDown()
    {
        using var cluster = CorosyncCluster.Start(nodeCount: 2);
        var group = NewGroup();
        using var a = cluster.StartProbe(1, group);
        using var b = cluster.StartProbe(2, group);
        a.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        b.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        var markA = a.Mark();
        var clock = Stopwatch.StartNew();

        cluster.Node(2).Kill();

        var lost = b.WaitFor("lost", e => Is(e, "lost"), TimeSpan.FromSeconds(2));
        var lostAfter = clock.Elapsed;
        Assert.Equal(3, b.WaitForExit(TimeSpan.FromSeconds(5)));
        Assert.Contains("corosync", lost.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(Is(b.Events[^1], "lost"), "CorosyncLost must be the probe's last event");

        var down = a.WaitFor("cpg without n2", e => Is(e, "cpg"), from: markA);
        var downAfter = clock.Elapsed;
        Assert.Equal([(2u, b.Pid, "NodeDown")], Members(down, "left"));
        Assert.Equal([(1u, a.Pid)], Processes(down, "members"));

        // two_node: the survivor keeps quorum on its own (why fencing is mandatory in two-node clusters).
        a.WaitFor("quorate [1]", e => IsQuorum(e, true, 1), from: markA);
        a.WaitFor("totem [1]", e => IsTotem(e, 1), from: markA);
        output.WriteLine($"CorosyncLost after {lostAfter.TotalMilliseconds:0} ms, NodeDown after {downAfter.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Three_node_cluster_keeps_quorum_after_one_failure_and_loses_it_after_two()
    {
        using var cluster = CorosyncCluster.Start(nodeCount: 3);
        using var a = cluster.StartProbe(1, NewGroup());
        Assert.True(a.WaitForReady().GetProperty("quorate").GetBoolean());
        a.WaitFor("quorate [1,2,3]", e => IsQuorum(e, true, 1, 2, 3));
        a.Command("quorum");
        Assert.Equal(
            """{"event":"votequorum","nodeId":1,"expectedVotes":3,"totalVotes":3,"quorum":2,"quorate":true,"twoNode":false,"waitForAll":false,"rawFlags":2}""",
            a.WaitFor("votequorum", e => Is(e, "votequorum")).GetRawText());

        var mark = a.Mark();
        var clock = Stopwatch.StartNew();
        cluster.Node(3).Kill();
        a.WaitFor("quorate [1,2]", e => IsQuorum(e, true, 1, 2), from: mark);
        var firstLoss = clock.Elapsed;
        a.WaitFor("totem [1,2]", e => IsTotem(e, 1, 2), from: mark);

        mark = a.Mark();
        clock.Restart();
        cluster.Node(2).Kill();
        a.WaitFor("not quorate [1]", e => IsQuorum(e, false, 1), from: mark);
        var secondLoss = clock.Elapsed;

        a.Command("quorum");
        var info = a.WaitFor("votequorum", e => Is(e, "votequorum"), from: mark);
        Assert.Equal(
            """{"event":"votequorum","nodeId":1,"expectedVotes":3,"totalVotes":1,"quorum":2,"quorate":false,"twoNode":false,"waitForAll":false,"rawFlags":0}""",
            info.GetRawText());
        output.WriteLine($"3->2 quorum change after {firstLoss.TotalMilliseconds:0} ms, 2->1 after {secondLoss.TotalMilliseconds:0} ms");
    }
}
