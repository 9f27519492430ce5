namespace Palisade.Simulation.Runtime;

/// <summary>
/// The synchronization context of one palisaded process (one incarnation): every continuation of the host's code is
/// posted here and runs on the simulator's thread. Killing the process makes the context drop all its work.
/// </summary>
internal sealed class NodeContext(SimScheduler scheduler, string name) : SynchronizationContext
{
    public string Name { get; } = name;

    public bool Alive { get; private set; } = true;

    public void Kill() => Alive = false;

    public override void Post(SendOrPostCallback d, object? state)
    {
        if (Alive)
        {
            scheduler.Post(this, d, state);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("the simulator runs one thread: nothing may wait for another context");

    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Runs <paramref name="action"/> in this context (queued behind what is already posted).</summary>
    public void Run(Action action) => Post(static s => ((Action)s!)(), action);
}
