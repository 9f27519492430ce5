using Palisade.Core.Messages;
using Palisade.Core.State;

namespace Palisade.Core.Tests.Simulation;

/// <summary>
/// The fake counterpart of the daemon's GroupRunner: one job at a time per group, outcomes from
/// <see cref="SimFaults"/>, results reported as messages, and the world ledger kept up to date.
/// </summary>
internal sealed class SimGroupRunner
{
    private readonly SimCluster _sim;
    private readonly SimNode _node;
    private readonly HashSet<string> _active = [];
    private readonly Dictionary<string, Queue<Action>> _waiting = [];

    public SimGroupRunner(SimCluster sim, SimNode node)
    {
        _sim = sim;
        _node = node;
    }

    /// <summary>Groups this daemon may be running (begun starting and not stopped since), like GroupRunner.ActiveGroups.</summary>
    public IReadOnlyCollection<string> Active => _active;

    public bool Idle => _waiting.Count == 0;

    public void Start(string group) => Run(group, () => BeginStart(group));

    public void Stop(string group, string reason, bool report) => Run(group, () => BeginStop(group, reason, report));

    /// <summary>Stops every active group, as GroupRunner.StopAllAsync does on quorum loss or shutdown.</summary>
    public void StopAll(string reason, bool report)
    {
        foreach (var group in _active.Order().ToList())
        {
            Stop(group, reason, report);
        }
    }

    private void Run(string group, Action begin)
    {
        if (_waiting.TryGetValue(group, out var queue))
        {
            queue.Enqueue(begin);
            return;
        }

        _waiting[group] = new Queue<Action>();
        begin();
    }

    private void Done(string group)
    {
        var queue = _waiting[group];
        if (queue.TryDequeue(out var next))
        {
            next();
            return;
        }

        _waiting.Remove(group);
        _node.RunnerIdle();
    }

    private void BeginStart(string group)
    {
        _active.Add(group);
        _sim.World.Add(group, _node.Name);
        _sim.Schedule(_node, _sim.Options.StartDuration, $"start {group}", () => FinishStart(group));
    }

    private void FinishStart(string group)
    {
        if (_sim.Faults.TakeStart(group, _node.Name))
        {
            foreach (var resource in _sim.Config.FindGroup(group)!.Resources)
            {
                _node.Send(new ResourceReport(group, resource.Name, _node.Name, ResourceState.Started, "started"));
            }

            _node.Send(new GroupStarted(group, _node.Name));
        }
        else if (_sim.Faults.TakeStop(group, _node.Name))
        {
            _active.Remove(group);
            _sim.World.Remove(group, _node.Name);
            _node.Send(new GroupStartFailed(group, _node.Name, "app: start failed (simulated)"));
        }
        else
        {
            _node.Send(new GroupStopFailed(group, _node.Name, "start failed (app: simulated), then app: stop failed (simulated)"));
        }

        Done(group);
    }

    private void BeginStop(string group, string reason, bool report) =>
        _sim.Schedule(_node, _sim.Options.StopDuration, $"stop {group}", () => FinishStop(group, reason, report));

    private void FinishStop(string group, string reason, bool report)
    {
        var stopped = _sim.Faults.TakeStop(group, _node.Name);
        if (stopped)
        {
            _active.Remove(group);
            _sim.World.Remove(group, _node.Name);
        }

        if (report)
        {
            _node.Send(stopped
                ? new GroupStopped(group, _node.Name, $"stopped on {_node.Name}: {reason}")
                : new GroupStopFailed(group, _node.Name, "app: stop failed (simulated)"));
        }

        Done(group);
    }
}
