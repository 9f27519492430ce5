using Palisade.Core.Configuration;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Corosync;
using Palisade.Simulation.Checks;
using Palisade.Simulation.Runtime;

namespace Palisade.Simulation.World;

/// <summary>
/// The simulated world: machines, corosync, the administration LAN, what really runs where, and the faults in force.
/// Each node runs the real palisaded host over simulated ports; all of it runs on one thread, driven by one seed.
/// </summary>
internal sealed class SimWorld
{
    /// <summary>The cluster's authkey: the same on every node, as corosync-keygen would have written it.</summary>
    public static readonly ClusterKey AdvertKey = ClusterKey.FromBytes([.. Enumerable.Range(0, 256).Select(i => (byte)(i * 7 + 3))]).Key!;
    public static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly Dictionary<string, SimNode> _byName;
    private readonly List<DeliveredMessage> _delivered = [];

    public SimWorld(ClusterConfig config, int seed, bool keepTrace)
    {
        Config = config;
        Random = new Random(seed);
        Scheduler = new SimScheduler(Epoch);
        Trace = new Trace(keepTrace);
        Nodes = [.. config.Nodes.OrderBy(n => n.Id).Select(n => new SimNode(n))];
        _byName = Nodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        Corosync = new SimCorosync(this);
        AdminLan = new SimAdminNetwork(this);
        Ledger = new ResourceLedger(this);
        Checks = new InvariantChecks(this);
    }

    public ClusterConfig Config { get; }

    public Random Random { get; }

    public SimScheduler Scheduler { get; }

    public Trace Trace { get; }

    public IReadOnlyList<SimNode> Nodes { get; }

    public SimCorosync Corosync { get; }

    public SimAdminNetwork AdminLan { get; }

    public ResourceLedger Ledger { get; }

    public AgentFaults Faults { get; } = new();

    public InvariantChecks Checks { get; }

    public DateTimeOffset Now => Scheduler.Now;

    public SimNode Node(string name) => _byName[name];

    public SimNode ById(uint id) => Nodes.First(n => n.Id == id);

    /// <summary>Random bytes from the run's seed (what the host would draw from the system's generator).</summary>
    public byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.NextBytes(bytes);
        return bytes;
    }

    public TimeSpan Duration(int minMs, int maxMs) => TimeSpan.FromMilliseconds(Random.Next(minMs, maxMs + 1));

    public void Note(string who, string text) => Trace.Add(Now, who, text);

    /// <summary>Keep every delivered cluster message in <see cref="Delivered"/> (scenario tests read it; off in schedule runs).</summary>
    public bool RecordMessages { get; set; }

    /// <summary>The cluster messages delivered since <see cref="RecordMessages"/> was switched on, in delivery order.</summary>
    public IReadOnlyList<DeliveredMessage> Delivered => _delivered;

    /// <summary>
    /// A node powers on with a fresh /run: corosync starts after a boot, palisaded after corosync (unless
    /// <paramref name="startDaemon"/> is false: then palisaded waits for <see cref="StartDaemon"/>).
    /// </summary>
    public void PowerOn(SimNode node, bool startDaemon = true)
    {
        if (node.Powered)
        {
            return;
        }

        node.Powered = true;
        Note(node.Name, "power on");
        Scheduler.After(Duration(500, 1500), () =>
        {
            if (node.Powered && !node.CorosyncAlive)
            {
                StartCorosync(node);
                if (startDaemon)
                {
                    Scheduler.After(Duration(200, 800), () => StartDaemon(node));
                }
            }
        });
    }

    public void PowerOff(SimNode node, string why)
    {
        if (!node.Powered)
        {
            return;
        }

        Note(node.Name, $"power off ({why})");
        node.Powered = false;
        node.Process?.Kill();
        node.Process = null;
        Ledger.ClearNode(node.Name);
        node.WallOffset = TimeSpan.Zero;
        if (node.CorosyncAlive)
        {
            Corosync.Stop(node, "node lost power");
        }
    }

    public void StartCorosync(SimNode node)
    {
        if (node.Powered && !node.CorosyncAlive)
        {
            Note(node.Name, "corosync starts");
            Corosync.Start(node);
        }
    }

    /// <summary>corosync dies; palisaded hears it, stops its groups and exits 3.</summary>
    public void KillCorosync(SimNode node)
    {
        if (node.CorosyncAlive)
        {
            Note(node.Name, "corosync dies");
            Corosync.Stop(node, "corosync died (simulated)");
        }
    }

    public void StartDaemon(SimNode node)
    {
        if (!node.Powered || !node.CorosyncAlive || node.DaemonRunning)
        {
            return;
        }

        var process = new SimProcess(this, node);
        node.Process = process;
        Note(node.Name, $"palisaded starts (#{process.Incarnation})");
        process.Start();
    }

    /// <summary>kill -9 of palisaded: corosync and whatever palisaded started keep running.</summary>
    public void KillDaemon(SimNode node)
    {
        if (node.DaemonRunning)
        {
            node.Process!.Kill();
        }
    }

    public void TerminateDaemon(SimNode node)
    {
        if (node.DaemonRunning)
        {
            Note(node.Name, "SIGTERM to palisaded");
            node.Process!.Terminate();
        }
    }

    /// <summary>Cuts the interconnect into sides (index per node); the rings re-form after the detection delay.</summary>
    public void SplitInterconnect(IReadOnlyList<int> sides)
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            Nodes[i].Side = sides[i];
        }

        Note("world", "interconnect: " + Describe(n => n.Side));
        Checks.OnSplit();
        Corosync.NetworkChanged(merge: Nodes.Select(n => n.Side).Distinct().Count() == 1);
    }

    public void SplitAdmin(IReadOnlyList<int> sides)
    {
        for (var i = 0; i < Nodes.Count; i++)
        {
            Nodes[i].AdminSide = sides[i];
        }

        Note("world", "admin LAN: " + Describe(n => n.AdminSide));
    }

    /// <summary>A shutdown agent's power off reached the target's BMC.</summary>
    public void FencePowerOff(SimNode by, SimNode target)
    {
        if (target.Powered)
        {
            Checks.OnFencePowerOff(by, target);
        }

        PowerOff(target, $"fenced by {by.Name}");
    }

    /// <summary>Messages delivered so far (the agreement check skips quiet periods).</summary>
    public long Deliveries { get; private set; }

    public void OnDelivered(SimLink sender, CpgMessage message, List<SimLink> recipients)
    {
        Deliveries++;
        Trace.Add(Now, sender.Node.Id, message.Payload);
        if (!Trace.KeepText && !RecordMessages && !Checks.Watches(message.Payload))
        {
            return; // the hosts decode it; the checks need only the few kinds they watch
        }

        ClusterMessage decoded;
        try
        {
            decoded = MessageCodec.Decode(message.Payload);
        }
        catch (System.Text.Json.JsonException e)
        {
            Checks.Violation($"{sender} sent a message nobody can decode: {e.Message}");
            return;
        }

        if (Trace.KeepText)
        {
            Note("bus", $"{sender} -> {string.Join(",", recipients.Select(r => r.Node.Name))}: {decoded}");
        }

        if (RecordMessages)
        {
            _delivered.Add(new DeliveredMessage(Now, sender.Node.Name, decoded, [.. recipients.Select(r => r.Node.Name)]));
        }

        Checks.OnDelivered(sender, decoded, recipients);
    }

    /// <summary>Sends must come from the process's own context on the simulator's thread.</summary>
    public void CheckOnSimulatorThread(SimLink link)
    {
        if (Environment.CurrentManagedThreadId != Scheduler.ThreadId)
        {
            Checks.Violation($"{link} sent from thread {Environment.CurrentManagedThreadId}, not the simulator's thread {Scheduler.ThreadId}");
        }
        else if (Scheduler.Current != link.Node.Process?.Context || link.Node.Process?.Link != link)
        {
            Checks.Violation($"{link} sent outside its own process's context (running: {Scheduler.Current?.Name ?? "the world"})");
        }
    }

    private string Describe(Func<SimNode, int> side) =>
        string.Join(" | ", Nodes.GroupBy(side).Select(g => string.Join(",", g.Select(n => n.Name))));
}
