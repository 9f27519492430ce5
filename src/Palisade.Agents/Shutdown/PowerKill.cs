namespace Palisade.Agents;

/// <summary>The kill of agents that switch power both ways: off and confirmed; with method cycle, on again after.</summary>
internal static class PowerKill
{
    public static async Task<AgentResult> RunAsync(Func<PowerState, CancellationToken, Task<AgentResult>> switchAsync, string method, CancellationToken ct)
    {
        AgentResult off = await switchAsync(PowerState.Off, ct).ConfigureAwait(false);
        if (!off.Succeeded || method != "cycle")
        {
            return off;
        }

        // The kill counts from the confirmed off; powering on again is the reboot the operator asked for.
        AgentResult on = await switchAsync(PowerState.On, ct).ConfigureAwait(false);
        return off with { Reason = $"{off.Reason}; then power on: {on.Outcome}" };
    }
}
