using System.Text.Json;
using Palisade.Corosync.Tests.Lab;
using Xunit;
using Xunit.Abstractions;
using static Palisade.Corosync.Tests.Lab.ProbeEvents;

namespace Palisade.Corosync.Tests;

/// <summary>CPG membership, agreed order and clean/unclean process exits on a live two-node cluster.</summary>
public sealed class TwoNodeCpgTests(TwoNodeClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoNodeClusterFixture>
{
    private readonly CorosyncCluster _cluster = fixture.Cluster;

    [Fact]
    public void Both_nodes_see_the_joined_membership_and_a_quorate_two_node_quorum()
    {
        var group = NewGroup();
        using var a = _cluster.StartProbe(1, group);
        var readyA = a.WaitForReady();
        using var b = _cluster.StartProbe(2, group);
        var readyB = b.WaitForReady();

        Assert.Equal(1u, readyA.GetProperty("nodeId").GetUInt32());
        Assert.Equal(2u, readyB.GetProperty("nodeId").GetUInt32());
        Assert.True(readyA.GetProperty("quorate").GetBoolean());
        Assert.True(readyB.GetProperty("quorate").GetBoolean());
        foreach (var probe in new[] { a, b })
        {
            var both = probe.WaitFor("cpg members n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
            Assert.Equal([(2u, b.Pid, "Join")], Members(both, "joined"));
            Assert.Empty(Members(both, "left"));

            // corosync leaves the reason of member-list entries at CPG_REASON_UNDEFINED.
            Assert.All(Members(both, "members"), m => Assert.Equal("0", m.Reason));
            probe.WaitFor("totem [1,2]", e => IsTotem(e, 1, 2));
            probe.WaitFor("quorate [1,2]", e => IsQuorum(e, true, 1, 2));
        }

        var firstOfA = a.WaitFor("first cpg event of n1", e => Is(e, "cpg"));
        Assert.Equal([(1u, a.Pid, "Join")], Members(firstOfA, "joined"));

        a.Command("quorum");
        var info = a.WaitFor("votequorum", e => Is(e, "votequorum"));
        Assert.Equal(
            """{"event":"votequorum","nodeId":1,"expectedVotes":2,"totalVotes":2,"quorum":1,"quorate":true,"twoNode":true,"waitForAll":true,"rawFlags":7}""",
            info.GetRawText());
    }

    [Fact]
    public async Task Messages_from_both_nodes_arrive_in_the_identical_agreed_order_on_both()
    {
        const int PerSender = 200;
        var group = NewGroup();
        using var a = _cluster.StartProbe(1, group);
        using var b = _cluster.StartProbe(2, group);
        a.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        b.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));

        await Task.WhenAll(
            Task.Run(() => SendAll(a, "a", PerSender)),
            Task.Run(() => SendAll(b, "b", PerSender)));

        var timeout = TimeSpan.FromSeconds(20);
        var atA = a.WaitForCount("all messages", e => Is(e, "message"), 2 * PerSender, timeout);
        var atB = b.WaitForCount("all messages", e => Is(e, "message"), 2 * PerSender, timeout);
        Assert.Equal(atA.Select(Text), atB.Select(Text));
        Assert.Equal(Enumerable.Range(0, PerSender).Select(i => $"a-{i}"), atA.Select(Text).Where(t => t.StartsWith('a')));
        Assert.Equal(Enumerable.Range(0, PerSender).Select(i => $"b-{i}"), atA.Select(Text).Where(t => t.StartsWith('b')));
        Assert.All(atA, m => Assert.Equal(
            Text(m).StartsWith('a') ? (1u, a.Pid) : (2u, b.Pid),
            (m.GetProperty("nodeId").GetUInt32(), m.GetProperty("pid").GetUInt32())));
        Assert.Equal(2 * PerSender, a.Events.Count(e => Is(e, "message")));
    }

    [Fact]
    public async Task Back_to_back_bursts_from_both_nodes_survive_flow_control_in_identical_order()
    {
        const int PerSender = 1000;
        var group = NewGroup();
        using var a = _cluster.StartProbe(1, group);
        using var b = _cluster.StartProbe(2, group);
        a.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        b.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));

        a.Command($"burst {PerSender} 1000 a");
        b.Command($"burst {PerSender} 1000 b");

        var timeout = TimeSpan.FromSeconds(30);
        var results = await Task.WhenAll(
            Task.Run(() => a.WaitForCount("all messages", e => Is(e, "message"), 2 * PerSender, timeout)),
            Task.Run(() => b.WaitForCount("all messages", e => Is(e, "message"), 2 * PerSender, timeout)));
        a.WaitFor("burst-done", e => Is(e, "burst-done"));
        b.WaitFor("burst-done", e => Is(e, "burst-done"));
        Assert.DoesNotContain(a.Events.Concat(b.Events), e => Is(e, "error"));
        Assert.Equal(results[0].Select(Text), results[1].Select(Text));
        Assert.Equal(
            Enumerable.Range(0, PerSender).Select(i => $"a-{i}"),
            results[0].Select(m => Text(m).TrimEnd('.')).Where(t => t.StartsWith('a')));
        output.WriteLine($"throttled sends: a {a.LogLines.Count(l => l.Contains("flow control", StringComparison.Ordinal))}, b {b.LogLines.Count(l => l.Contains("flow control", StringComparison.Ordinal))}");
    }

    [Fact]
    public void Killed_probe_is_reported_to_the_peer_as_ProcDown()
    {
        var group = NewGroup();
        using var a = _cluster.StartProbe(1, group);
        using var b = _cluster.StartProbe(2, group);
        a.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        var mark = a.Mark();

        b.Kill();

        var change = a.WaitFor("cpg without n2", e => Is(e, "cpg"), from: mark);
        Assert.Equal([(2u, b.Pid, "ProcDown")], Members(change, "left"));
        Assert.Equal([(1u, a.Pid)], Processes(change, "members"));
        Assert.Empty(Members(change, "joined"));
    }

    [Fact]
    public void Exit_disposes_the_link_promptly_and_the_peer_sees_a_clean_Leave()
    {
        var group = NewGroup();
        using var a = _cluster.StartProbe(1, group);
        using var b = _cluster.StartProbe(2, group);
        a.WaitFor("cpg n1+n2", e => IsCpgMembers(e, (1, a.Pid), (2, b.Pid)));
        var mark = a.Mark();

        b.Command("exit");

        Assert.Equal(0, b.WaitForExit(TimeSpan.FromSeconds(2)));
        var change = a.WaitFor("cpg without n2", e => Is(e, "cpg"), from: mark);
        Assert.Equal([(2u, b.Pid, "Leave")], Members(change, "left"));
        Assert.Equal([(1u, a.Pid)], Processes(change, "members"));
    }

    [Fact]
    public void Open_without_a_reachable_corosync_fails_with_CS_ERR_LIBRARY()
    {
        using var probe = _cluster.StartProbeWithoutCorosync(NewGroup());

        var error = probe.WaitFor("open error", e => Is(e, "error"));

        Assert.Equal(2, probe.WaitForExit(TimeSpan.FromSeconds(5)));
        Assert.Equal("open", error.GetProperty("command").GetString());
        Assert.Equal(2, error.GetProperty("code").GetInt32());
        Assert.Equal(
            "cannot connect to corosync: CS_ERR_LIBRARY (2); is corosync running in this namespace?",
            error.GetProperty("message").GetString());
        Assert.DoesNotContain(probe.Events, e => Is(e, "ready"));
    }

    private static void SendAll(ProbeProcess probe, string prefix, int count)
    {
        for (var i = 0; i < count; i++)
        {
            probe.Command($"send {prefix}-{i}");
        }
    }
}
