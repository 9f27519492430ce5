namespace Palisade.Simulation.World;

internal enum AgentFault
{
    None,

    /// <summary>The action fails and does nothing (a stop that fails leaves the resource running).</summary>
    Fail,

    /// <summary>The action never answers; the caller's timeout ends it, and what it did is unknown.</summary>
    Hang,

    /// <summary>
    /// The action works but says it failed (a start that started, a kill that powered off). Lies the other way (a
    /// stop or kill claiming success that did nothing) are outside the fault model: no cluster manager survives them.
    /// </summary>
    Lie,
}

internal enum AgentAction
{
    Start,
    Stop,
    Monitor,
    Kill,
    Test,

    /// <summary>The check of a monitor of the <c>monitors:</c> list acting on the group.</summary>
    Watch,
}

/// <summary>The agent faults in force: per node and group (resource agents) or per fencing and fenced node (shutdown agents).</summary>
internal sealed class AgentFaults
{
    private readonly Dictionary<(string Node, string Subject, AgentAction Action), AgentFault> _faults = [];

    public AgentFault Get(string node, string subject, AgentAction action) =>
        _faults.GetValueOrDefault((node, subject, action), AgentFault.None);

    public void Set(string node, string subject, AgentAction action, AgentFault fault) => _faults[(node, subject, action)] = fault;

    public void Clear() => _faults.Clear();

    public bool Any => _faults.Count > 0;
}
