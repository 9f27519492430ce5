using System.Collections.Immutable;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Core.Messages;
using Palisade.Core.Replication;
using Palisade.Core.Shutdown;
using Palisade.Core.State;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class MessageCodecTests
{
    private static readonly DateTimeOffset At = TestConfigs.Epoch;

    public static TheoryData<ClusterMessage> Samples => [.. AllSamples()];

    [Fact]
    public void Samples_cover_every_message_type_the_codec_knows()
    {
        var known = typeof(ClusterMessage).GetCustomAttributes<JsonDerivedTypeAttribute>().Select(a => a.DerivedType).ToHashSet();
        Assert.Equal(known.OrderBy(t => t.Name), AllSamples().Select(m => m.GetType()).Distinct().OrderBy(t => t.Name));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_message_decodes_to_the_same_type_and_encodes_back_to_the_same_bytes(ClusterMessage message)
    {
        var bytes = MessageCodec.Encode(message);
        var decoded = MessageCodec.Decode(bytes);

        Assert.IsType(message.GetType(), decoded);
        Assert.Equal(Encoding.UTF8.GetString(bytes), Encoding.UTF8.GetString(MessageCodec.Encode(decoded)));
        if (decoded is NodeMessage n)
        {
            Assert.Equal(((NodeMessage)message).From, n.From);
            Assert.Equal(((NodeMessage)message).At, n.At);
        }
    }

    [Fact]
    public void Wire_form_is_camel_case_json_with_a_type_discriminator_and_enum_names()
    {
        Assert.Equal(
            """{"type":"start-ordered","group":"web","node":"n2","reason":"n2 is first","from":"n1","at":"2030-01-01T12:00:00+00:00"}""",
            Encoding.UTF8.GetString(MessageCodec.Encode(new GroupStartOrdered("web", "n2", "n2 is first") { From = "n1", At = At })));
        Assert.Equal(
            """{"type":"membership","members":[1,3],"left":[{"nodeId":2,"reason":"NodeDown"}],"joined":[3]}""",
            Encoding.UTF8.GetString(MessageCodec.Encode(new MembershipChanged([1, 3], [new MemberLeft(2, LeaveReason.NodeDown)], [3]))));
    }

    [Fact]
    public void Snapshot_carries_a_full_state_that_hashes_the_same_after_the_trip()
    {
        var state = BusyState();
        var snapshot = new StateSnapshot([2, 3], state) { From = "n1", At = At };

        var decoded = Assert.IsType<StateSnapshot>(MessageCodec.Decode(MessageCodec.Encode(snapshot)));

        Assert.Equal(StateHasher.Hash(state), StateHasher.Hash(decoded.State));
        Assert.Equal([2u, 3u], decoded.For.ToArray());
        Assert.Equal(state.Version, decoded.State.Version);
        Assert.Equal(state.Members, decoded.State.Members);
        Assert.Equal(state.Synced, decoded.State.Synced);
        Assert.Equal(state.Nodes.Values, decoded.State.Nodes.Values);
        Assert.Equal(["n3"], decoded.State.Groups["web"].FailedOn);
        Assert.Equal(state.Groups["web"].Resources, decoded.State.Groups["web"].Resources);
        Assert.Equal((state.Groups["web"].State, state.Groups["web"].Node, state.Groups["web"].Reason), (decoded.State.Groups["web"].State, decoded.State.Groups["web"].Node, decoded.State.Groups["web"].Reason));
    }

    [Fact]
    public void Snapshot_carries_the_monitors_their_counters_and_what_a_node_must_stop()
    {
        var state = BusyState();
        state = state with
        {
            Monitors = state.Monitors.SetItem("web/app", new MonitorStatus
            {
                Name = "web/app",
                Nodes = ImmutableSortedDictionary<string, MonitorOnNode>.Empty.Add("n1", new MonitorOnNode { Health = MonitorHealth.Suspended, Reason = "suspended", Since = At, Detections = 3, Handled = 2 }),
                Counters = new RecoveryCounters(2, 1, 0),
                CleanSince = At,
            }),
            Nodes = state.Nodes.SetItem("n3", state.Nodes["n3"] with { MustStop = ["web"] }),
        };

        var decoded = Assert.IsType<StateSnapshot>(MessageCodec.Decode(MessageCodec.Encode(new StateSnapshot([2], state) { From = "n1", At = At }))).State;

        Assert.Equal(StateHasher.Hash(state), StateHasher.Hash(decoded));
        var monitor = decoded.Monitors["web/app"];
        Assert.Equal((new RecoveryCounters(2, 1, 0), (DateTimeOffset?)At), (monitor.Counters, monitor.CleanSince));
        Assert.Equal(state.Monitors["web/app"].On("n1"), monitor.On("n1"));
        Assert.Equal(["web"], decoded.Nodes["n3"].MustStop);
    }

    [Theory]
    [InlineData("{", "Expected depth to be zero")]
    [InlineData("null", "empty message")]
    [InlineData("[]", "could not be converted")]
    [InlineData("{}", "must specify a type discriminator")]
    [InlineData("""{"type":"nope"}""", "unrecognized type discriminator id 'nope'")]
    [InlineData("""{"type":"start-ordered"}""", "missing required properties including: 'group', 'node', 'reason'")]
    [InlineData("""{"type":"membership","members":[1]}""", "missing required properties including: 'left', 'joined'")]
    [InlineData("""{"type":"snapshot","for":[1]}""", "missing required properties including: 'state'")]
    [InlineData("""{"type":"fence-started","target":null,"reason":"x"}""", "'Target' on type 'Palisade.Core.Messages.FenceStarted' doesn't allow null")]
    public void Malformed_payloads_are_rejected_with_a_JsonException_saying_why(string payload, string why)
    {
        var ex = Assert.Throws<JsonException>(() => MessageCodec.Decode(Encoding.UTF8.GetBytes(payload)));
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A state with something in every field: a start that failed during a move, a lost node whose fencing failed once,
    /// the fence history, members and synced nodes; built by applying the messages that lead there.
    /// </summary>
    private static ClusterState BusyState()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        ClusterMessage[] messages =
        [
            new MembershipChanged([1, 2, 3], [], [1, 2, 3]),
            new ClusterSettled("all 3 nodes joined") { From = "n1", At = At },
            .. new[] { "n1", "n2", "n3" }.Select(n => new ProbeReport([], $"{n}-1") { From = n, At = At }),
            new GroupStartOrdered("web", "n1", "n1 is first") { From = "n1", At = At },
            new ResourceReport("web", "ip", "n1", ResourceState.Started, "started") { From = "n1", At = At },
            new ResourceReport("web", "app", "n1", ResourceState.Started, "started") { From = "n1", At = At },
            new GroupStarted("web", "n1") { From = "n1", At = At },
            new AdminRequest("web", AdminAction.Move, "n3", "operator on n1") { From = "n1", At = At },
            new GroupStopOrdered("web", "n1", "moving to n3") { From = "n1", At = At },
            new GroupStopped("web", "n1", "stopped on n1: moving to n3") { From = "n1", At = At },
            new GroupStartOrdered("web", "n3", "moving to n3 as requested") { From = "n1", At = At },
            new GroupStartFailed("web", "n3", "app: exit 1") { From = "n3", At = At },
            new GroupStartOrdered("web", "n1", "n1 is the first healthy node (failed on n3)") { From = "n1", At = At.AddSeconds(1) },
            new ResourceReport("web", "ip", "n1", ResourceState.Started, "started") { From = "n1", At = At.AddSeconds(1) },
            new MembershipChanged([1, 3], [new MemberLeft(2, LeaveReason.ProcDown)], []),
            new FenceStarted("n2", "n2 is Unclean", "n1") { From = "n1", At = At.AddSeconds(2) },
            new FenceAttempted("n2", 1, "test-bmc", "off", At.AddSeconds(2), 150, FenceResult.Failed, "BMC did not answer") { From = "n1", At = At.AddSeconds(2) },
            new FenceCompleted("n2", false, "1:test-bmc", "BMC did not answer") { From = "n1", At = At.AddSeconds(2) },
        ];
        var state = messages.Aggregate(ClusterState.Initial(config), (s, m) => StateMachine.Apply(config, s, m).State);
        var web = state.Groups["web"];
        Assert.Equal((GroupState.Starting, "n1", "n3"), (web.State, web.Node, web.MoveTo));
        Assert.Equal(["n3"], web.FailedOn);
        Assert.Equal((NodeState.Unclean, 1), (state.Nodes["n2"].State, state.Nodes["n2"].FenceFailures));
        Assert.NotNull(state.Nodes["n2"].LastFenceAttempt);
        Assert.Single(state.FenceHistory);
        return state;
    }

    private static IEnumerable<ClusterMessage> AllSamples()
    {
        var config = TestConfigs.ThreeNodesOneGroup();
        var state = ClusterState.Initial(config) with { Version = 7, Members = [1, 2], Synced = [1], Settled = true };
        yield return new MembershipChanged([1, 2], [new MemberLeft(3, LeaveReason.ProcDown)], [2]);
        yield return new StateSnapshot([2], state) { From = "n1", At = At };
        yield return new StateDigest(7, "0123456789abcdef01234567") { From = "n2", At = At };
        yield return new ClusterSettled("all 3 nodes joined") { From = "n1", At = At };
        yield return new GroupStartOrdered("web", "n1", "first healthy") { From = "n1", At = At };
        yield return new GroupStopOrdered("web", "n1", "moving to n2") { From = "n1", At = At };
        yield return new ResourceReport("web", "ip", "n1", ResourceState.Started, "ok") { From = "n1", At = At };
        yield return new GroupStarted("web", "n1") { From = "n1", At = At };
        yield return new GroupStartFailed("web", "n1", "app: exit 1") { From = "n1", At = At };
        yield return new GroupStopped("web", "n1", "stopped on n1") { From = "n1", At = At };
        yield return new GroupStopFailed("web", "n1", "app: timed out") { From = "n1", At = At };
        yield return new GroupGaveUp("web", "start failed everywhere") { From = "n1", At = At };
        yield return new ResourceFailed("web", "app", "n1", "monitor: exit 7") { From = "n1", At = At };
        yield return new FenceStarted("n3", "n3 is Unclean") { From = "n1", At = At };
        yield return new FenceCompleted("n3", true, "ipmi", "power off confirmed") { From = "n1", At = At };
        yield return new AdminRequest("web", AdminAction.Move, "n2", "operator on n1") { From = "n1", At = At };
        yield return new AdminRequest("web", AdminAction.Stop, null, "operator on n1") { From = "n1", At = At };
        yield return new NodeLeaving("palisaded is shutting down") { From = "n2", At = At };
        yield return new NodeStandbyRequest("n2", true, "operator on n1") { From = "n1", At = At };
        yield return new MaintenanceRequest(true, "operator on n1") { From = "n1", At = At };
        yield return new PathTestsReported([new PathTest("n2", 1, "ipmi", "worked", At), new PathTest("n3", 1, "ipmi", "failed")]) { From = "n1", At = At };
        yield return new NoState(2, "joined a running cluster") { From = "n2", At = At };
        yield return new TotemChanged([1, 2, 3]);
        yield return new ProbeReport(["web"], "b7e1") { From = "n2", At = At };
        yield return new ProbeReport([], "c9f2", [new GroupIntent("web", GroupTarget.Stopped, At, "operator on n1")]) { From = "n3", At = At };
        yield return new ProbeReport([], "d4a0") { From = "n1", At = At, NodeIntents = [new NodeIntent("n2", true, At, "operator on n1")], Maintenance = new MaintenanceIntent(true, At, "operator on n1") };
        yield return new NodeUnresponsive("n2", "stop of web overdue") { From = "n1", At = At };
        yield return new NodeCleared("n2", "every other node is confirmed off or left cleanly") { From = "n2", At = At };
        yield return new RecoveryOrdered("web/vip", "web", "n1", 2, RecoveryRung.Failover, "failover 1 of 1; vip is not running") { From = "n1", At = At };
        yield return new RecoveryReset("web/vip", "web has run without an error for 600s (reset_after)") { From = "n1", At = At };
        yield return new MonitorCommand("web/vip", "n2", MonitorAction.Suspend, "operator on n1") { From = "n1", At = At };
        yield return new MonitorReported("uplink", "n2", MonitorHealth.Error, "eth1: link down (operstate down, no carrier)") { From = "n2", At = At };
        yield return new FenceStarted("n3", "operator", "n2", FenceOrigin.Requested) { From = "n1", At = At };
        yield return new FenceStarted("n3", "final action bmc_nmi", "n2", FenceOrigin.Requested, PowerOnAfter: false, DumpFirst: true) { From = "n1", At = At };
        yield return new ExternalEvent("n2", "NIC", "eth1", NoticeSeverity.Error, "link down", "bmc of n2", "m-17") { From = "n1", At = At };
        yield return new NodeDownChecked("n2", true, "1:ipmi", "power read back off", 180, "a1b2") { From = "n1", At = At };
        yield return new AlertsDelivered([new AlertDone("file", "/var/log/alerts.log", 12_003), new AlertDone("hook", "", 12_004)]) { From = "n1", At = At };
        yield return new StateDigest(44, "edbcd49f", [1, 2, 3]) { From = "n1", At = At };
        yield return new FenceAttempted("n3", 2, "redfish", "off", At, 180, FenceResult.Worked, "confirmed off") { From = "n2", At = At };
        yield return new FenceRequested("n3", "operator on n1") { From = "n1", At = At };
        yield return new NodeConfirmedDown("n3", "operator on n1") { From = "n1", At = At };
        yield return new ShutdownDaemonChanged(false, "palisade sd -e") { From = "n2", At = At };
        yield return new HistoryImported([new FenceRecord("n1", "n3", "1:ipmi", "off", At, 170, FenceResult.Failed, "timed out")]) { From = "n2", At = At };
    }
}
