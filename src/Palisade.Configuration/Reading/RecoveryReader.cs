using Palisade.Core.Configuration;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads a <c>recovery</c> mapping: the limits of each rung of the ladder, the final action and reset_after, or the
/// shorthand <c>action</c> for the usual ladders (the templates an operator knows).
/// </summary>
internal static class RecoveryReader
{
    private static readonly string[] Keys = ["action", "restart_limit", "failover_limit", "final_action", "reset_after"];
    private static readonly string[] Actions = ["restart", "failover", "restart_then_failover", "final"];
    private static readonly string[] Finals = ["none", "stop_group", "bmc_power_off", "stop_cluster_service_and_shutdown"];

    public static RecoveryConfig? Read(MappingReader owner, string key, RecoveryConfig defaults)
    {
        if (owner.Value(key) is not { } node)
        {
            return defaults;
        }

        var m = MappingReader.Open(node, owner.Field(key), owner.Diagnostics, "a recovery mapping (action, restart_limit, failover_limit, final_action, reset_after)");
        if (m is null)
        {
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var template = m.ReadChoice("action", Actions, required: false) switch
        {
            "restart" => defaults with { RestartLimit = 1, FailoverLimit = 0 },
            "failover" => defaults with { RestartLimit = 0, FailoverLimit = 1 },
            "restart_then_failover" => defaults with { RestartLimit = 1, FailoverLimit = 1 },
            "final" => defaults with { RestartLimit = 0, FailoverLimit = 0 },
            _ => defaults,
        };
        var restarts = m.ReadInteger("restart_limit", 0, 99);
        var failovers = m.ReadInteger("failover_limit", 0, 99);
        var final = m.ReadChoice("final_action", Finals, required: false) switch
        {
            "stop_group" => FinalAction.StopGroup,
            "bmc_power_off" or "stop_cluster_service_and_shutdown" => FinalAction.BmcPowerOff,
            "none" => FinalAction.None,
            _ => (FinalAction?)null,
        };
        var reset = m.ReadDuration("reset_after", TimeSpan.FromSeconds(1));
        if (m.Diagnostics.Count > before)
        {
            return null;
        }

        return template with
        {
            RestartLimit = (int)(restarts ?? template.RestartLimit),
            FailoverLimit = (int)(failovers ?? template.FailoverLimit),
            FinalAction = final ?? template.FinalAction,
            ResetAfter = reset ?? template.ResetAfter,
        };
    }
}
