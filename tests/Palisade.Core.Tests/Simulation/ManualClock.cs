namespace Palisade.Core.Tests.Simulation;

/// <summary>Simulated time: it moves only when the harness moves it, so no test ever sleeps.</summary>
internal sealed class ManualClock : TimeProvider
{
    public ManualClock(DateTimeOffset start) => Now = start;

    public DateTimeOffset Now { get; private set; }

    public override DateTimeOffset GetUtcNow() => Now;

    public void AdvanceTo(DateTimeOffset when)
    {
        if (when < Now)
        {
            throw new InvalidOperationException($"time cannot go back from {Now:O} to {when:O}");
        }

        Now = when;
    }
}
