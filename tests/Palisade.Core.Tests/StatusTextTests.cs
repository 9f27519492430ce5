using System.Collections.Immutable;
using Palisade.Core.Configuration;
using Palisade.Core.State;
using Palisade.Core.Status;
using Xunit;

namespace Palisade.Core.Tests;

public sealed class StatusTextTests
{
    [Fact]
    public void Status_of_a_small_cluster_renders_exactly()
    {
        var config = Config();
        var initial = ClusterState.Initial(config);
        var state = initial with
        {
            Version = 42,
            Members = [1, 2],
            Synced = [1, 2],
            Settled = true,
            Nodes = initial.Nodes
                .SetItem("n1", initial.Nodes["n1"] with { State = NodeState.Online, Reason = "joined the cluster" })
                .SetItem("n2", initial.Nodes["n2"] with { State = NodeState.Online, Reason = "joined the cluster" })
                .SetItem("node-three", initial.Nodes["node-three"] with { State = NodeState.Unclean, Reason = "lost: corosync reported the node down", FenceFailures = 1 }),
            Groups = initial.Groups
                .SetItem("web", initial.Groups["web"] with
                {
                    State = GroupState.Online,
                    Node = "n1",
                    MoveTo = "n2",
                    Reason = "move to n2 requested by operator on n2",
                    Resources = initial.Groups["web"].Resources.SetItem("vip", ResourceState.Started).SetItem("app", ResourceState.Started),
                    FailedOn = ["n2"],
                }),
            Monitors = initial.Monitors.SetItem("web/app", new MonitorStatus
            {
                Name = "web/app",
                Nodes = initial.Monitors.GetValueOrDefault("web/app")?.Nodes ?? ImmutableSortedDictionary<string, MonitorOnNode>.Empty
                    .Add("n2", new MonitorOnNode { Health = MonitorHealth.Error, Reason = "monitor: NotRunning: app is not running (monitor exited 7)", Since = TestConfigs.Epoch, Detections = 2, Handled = 2 }),
                Counters = new RecoveryCounters(1, 1, 0),
            }),
        };

        var report = StatusBuilder.Build(config, state, "n1", quorate: true, "Synced", ["node-three: fencing failed 1 time(s), retry at 12:00:05.0", "group web: waiting for node-three (Unclean) to be fenced"]);

        Assert.Equal(
            "Cluster lab: quorate, coordinator n1, state Synced v42\n" +
            "\n" +
            "Nodes:\n" +
            "  * n1          id 1   Online   joined the cluster\n" +
            "    n2          id 2   Online   joined the cluster\n" +
            "    node-three  id 3   Unclean  lost: corosync reported the node down\n" +
            "\n" +
            "Groups:\n" +
            "    web: Online on n1 (moving to n2) - move to n2 requested by operator on n2\n" +
            "      vip              ocf:heartbeat:IPaddr2    Started\n" +
            "      app              exec                     Started\n" +
            "      failed on n2 (palisade group cleanup web clears it)\n" +
            "    db: Offline (target: stopped) - not started yet\n" +
            "      data             exec                     Stopped\n" +
            "\n" +
            "Monitors:\n" +
            "    web/vip (resource): n1=Normal n2=Offline; restarts 0/1, failovers 0/1, final none 0\n" +
            "    web/app (resource): n1=Normal n2=Error; restarts 1/1, failovers 1/1, final none 0\n" +
            "      last: monitor: NotRunning: app is not running (monitor exited 7)\n" +
            "    db/data (resource): n2=Offline n1=Offline; restarts 0/1, failovers 0/1, final none 0\n" +
            "\n" +
            "Waiting:\n" +
            "    node-three: fencing failed 1 time(s), retry at 12:00:05.0\n" +
            "    group web: waiting for node-three (Unclean) to be fenced\n" +
            "\n" +
            "* = this node\n",
            StatusText.Render(report));
    }

    [Fact]
    public void Status_before_the_state_arrived_says_so()
    {
        var report = StatusBuilder.Build(Config(), null, "n2", quorate: false, "AwaitingSnapshot", []);

        Assert.Equal(
            "Cluster lab: NOT QUORATE, coordinator none, state AwaitingSnapshot v0\n" +
            "\n" +
            "Nodes:\n" +
            "    n1          id 1   Unknown  state not received yet\n" +
            "  * n2          id 2   Unknown  state not received yet\n" +
            "    node-three  id 3   Unknown  state not received yet\n" +
            "\n" +
            "Groups:\n" +
            "    (none)\n" +
            "\n" +
            "* = this node\n",
            StatusText.Render(report));
    }

    private static ClusterConfig Config() => new()
    {
        Name = "lab",
        Totem = new TotemConfig(),
        Nodes = [Node("n1", 1), Node("n2", 2), Node("node-three", 3)],
        Groups =
        [
            new GroupConfig
            {
                Name = "web",
                Nodes = ["n1", "n2"],
                Resources =
                [
                    new ResourceConfig { Name = "vip", Kind = ResourceKind.Ocf, Agent = "heartbeat:IPaddr2" },
                    new ResourceConfig { Name = "app", Kind = ResourceKind.Exec, StartCommand = "app start" },
                ],
            },
            new GroupConfig
            {
                Name = "db",
                Nodes = ["n2", "n1"],
                AutoStart = false,
                Resources = [new ResourceConfig { Name = "data", Kind = ResourceKind.Exec, StartCommand = "data start" }],
            },
        ],
    };

    private static NodeConfig Node(string name, uint id) => new()
    {
        Name = name,
        Id = id,
        Interconnect = ImmutableArray.Create($"192.0.2.{id}"),
    };
}
