namespace Palisade.Lab.Redfish;

/// <summary>The chassis power of lab nodes, as a BMC switches it.</summary>
internal interface IPowerSwitch
{
    Task<bool> IsOnAsync(string node, CancellationToken ct);

    /// <summary>Returns once the change is complete (after "off" every process of the node is gone).</summary>
    Task SetAsync(string node, PowerChange change, CancellationToken ct);
}

internal enum PowerChange
{
    On,
    Off,
    Reset,

    /// <summary>A diagnostic interrupt: the node panics into its crash-dump kernel, the power stays on.</summary>
    Nmi,
}

/// <summary>
/// The lab's power script, the very one each ipmi_sim uses as chassis control: both BMCs of a node
/// always agree, and the script's per-node lock orders their requests.
/// </summary>
internal sealed class PowerScriptSwitch(ProcessRunner runner, string script, Func<string, CancellationToken, Task>? panic = null) : IPowerSwitch
{
    // The script waits up to 20 s for the node's lock and 10 s for killed processes to exit.
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(40);

    public async Task<bool> IsOnAsync(string node, CancellationToken ct)
    {
        var output = await runner.RunCheckedAsync($"reading the power of {node}", script, [node, "get", "power"], Limit, ct);
        return output.Trim() switch
        {
            "power:1" => true,
            "power:0" => false,
            var other => throw new LabException($"the power script answered '{other}' for {node}"),
        };
    }

    public Task SetAsync(string node, PowerChange change, CancellationToken ct)
    {
        if (change == PowerChange.Nmi)
        {
            return panic is null ? throw new LabException($"this BMC of {node} cannot send a diagnostic interrupt") : panic(node, ct);
        }

        string[] request = change switch
        {
            PowerChange.On => ["set", "power", "1"],
            PowerChange.Off => ["set", "power", "0"],
            PowerChange.Reset => ["set", "reset", "1"],
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };
        return runner.RunCheckedAsync($"power {change} of {node}", script, [node, .. request], Limit, ct);
    }
}
