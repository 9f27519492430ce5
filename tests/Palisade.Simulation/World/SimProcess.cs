using Palisade.Core.Control;
using Palisade.Corosync;
using Palisade.Daemon;
using Palisade.Simulation.Runtime;

namespace Palisade.Simulation.World;

/// <summary>One run of palisaded on a node: the real <see cref="ClusterHost"/> over the simulated ports, in its own context.</summary>
internal sealed class SimProcess
{
    private readonly SimWorld _world;
    private readonly CancellationTokenSource _stopping = new();
    private ClusterHost? _host;

    public SimProcess(SimWorld world, SimNode node)
    {
        _world = world;
        Node = node;
        Incarnation = ++node.Incarnations;
        Context = new NodeContext(world.Scheduler, $"{node.Name}#{Incarnation}");
        Clock = new NodeClock(world.Scheduler, Context, () => node.WallOffset, world.Checks.Violation);
        Link = world.Corosync.Open(node, Incarnation);
        AdminLan = new SimAdminLan(world, node);
    }

    public SimNode Node { get; }

    public int Incarnation { get; }

    public NodeContext Context { get; }

    public NodeClock Clock { get; }

    public SimLink Link { get; }

    public SimAdminLan AdminLan { get; }

    public bool Exited { get; private set; }

    /// <summary>The host, once built (null if its constructor failed).</summary>
    public ClusterHost? Host => _host;

    public int? ExitCode { get; private set; }

    /// <summary>Builds the host and runs its loop, as Program does, inside this process's context.</summary>
    public void Start() => Context.Run(() => _ = RunAsync());

    /// <summary>A command of the cluster file (recovery script, pre-action): it takes a moment on this node's clock and succeeds.</summary>
    private async Task<Palisade.Agents.ProcessResult> RunCommandAsync(Palisade.Agents.ProcessSpec spec, CancellationToken ct)
    {
        var took = _world.Duration(20, 400);
        await Task.Delay(took, Clock, ct);
        _world.Note(Node.Name, $"command ran: {string.Join(' ', spec.Arguments)}");
        return new Palisade.Agents.ProcessResult(0, false, "", "", took);
    }

    private async Task RunAsync()
    {
        var loggers = new TraceLoggers(_world.Trace, Node.Name, Clock.GetUtcNow, _world.Checks.Violation);
        var ports = new HostPorts(Link, new SimResourceAgents(_world, Node, Clock), new SimShutdownAgents(_world, Node, Clock),
            AdminLan, new SimDisk(Node), Clock, loggers)
        {
            RandomBytes = _world.RandomBytes,
            MonitorChecks = monitor => new SimMonitorCheck(_world, Node, Clock, monitor),
            Commands = RunCommandAsync,
        };
        int code;
        try
        {
            _host = new ClusterHost(_world.Config, Node.Config, ports, new HostOptions
            {
                ConfigPath = "/sim/palisade.yaml",
                Instance = $"{Node.Name}-{Incarnation}",
                AdvertKey = SimWorld.AdvertKey,
            });
            code = await _host.RunAsync(_stopping.Token);
        }
        catch (CorosyncException e)
        {
            _world.Note(Node.Name, $"palisaded failed: {e.Message}");
            code = 3;
        }

        Exit(code, code == 0 ? LinkState.Left : LinkState.Dead);
    }

    /// <summary>SIGTERM: the host stops its groups, leaves the group and exits 0.</summary>
    public void Terminate() => Context.Run(_stopping.Cancel);

    /// <summary>kill -9 (or the node lost power): nothing of this process runs again.</summary>
    public void Kill() => Exit(null, LinkState.Dead);

    /// <summary>An operator command through the control entry point, as the CLI would send it.</summary>
    public void Submit(ControlRequest request, Action<ControlResponse> answered) => Context.Run(() => _ = SubmitAsync(request, answered));

    /// <summary>This node's intake accepted a message that <paramref name="target"/> is down: its palisaded checks it.</summary>
    public void ReportDown(string target, string report) => Context.Run(() => _host?.CheckDownReport(target, report));

    private async Task SubmitAsync(ControlRequest request, Action<ControlResponse> answered)
    {
        if (_host is null)
        {
            return;
        }

        answered(await _host.SubmitAsync(request));
    }

    private void Exit(int? code, LinkState link)
    {
        if (Exited)
        {
            return;
        }

        Exited = true;
        ExitCode = code;
        Context.Kill();
        AdminLan.Dispose();
        if (Link.State == LinkState.Open)
        {
            Link.State = link;
            _world.Corosync.CpgChanged();
        }

        _world.Note(Node.Name, code is null ? "palisaded killed" : $"palisaded exited with code {code}");
    }
}
