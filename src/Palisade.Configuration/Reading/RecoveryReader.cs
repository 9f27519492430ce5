using Palisade.Core.Configuration;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads a <c>recovery</c> mapping: the limits of each rung of the ladder, the final action and reset_after, or the
/// shorthand <c>action</c> for the usual ladders (the templates an operator knows).
/// </summary>
internal static class RecoveryReader
{
    private static readonly string[] Keys = ["target", "failover_outside_server_group", "action", "script", "script_limit", "script_timeout", "pre_action", "restart_limit", "failover_limit", "final_action", "reset_after"];
    private static readonly string[] Actions = ["script", "restart", "failover", "restart_then_failover", "final"];
    private static readonly string[] PreKeys = ["script", "timeout", "before"];
    private static readonly string[] Finals =
        ["none", "stop_group", "stop_resource", "stop_cluster_service", "stop_cluster_service_and_shutdown", "stop_cluster_service_and_reboot", "bmc_power_off", "bmc_reset", "bmc_power_cycle", "bmc_nmi", "panic"];

    public static RecoveryConfig? Read(MappingReader owner, string key, RecoveryConfig defaults, RecoveryTargets targets)
    {
        if (owner.Value(key) is not { } node)
        {
            return defaults;
        }

        var m = MappingReader.Open(node, owner.Field(key), owner.Diagnostics, "a recovery mapping (action, script, script_limit, pre_action, restart_limit, failover_limit, final_action, reset_after)");
        if (m is null)
        {
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var template = m.ReadChoice("action", Actions, required: false) switch
        {
            "script" => defaults with { RestartLimit = 0, FailoverLimit = 0 },
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
            "stop_resource" => FinalAction.StopResource,
            "bmc_power_off" => FinalAction.BmcPowerOff,
            "bmc_reset" => FinalAction.BmcReset,
            "bmc_power_cycle" => FinalAction.BmcPowerCycle,
            "bmc_nmi" => FinalAction.BmcNmi,
            "panic" => FinalAction.Panic,
            "stop_cluster_service" => FinalAction.StopClusterService,
            "stop_cluster_service_and_shutdown" => FinalAction.StopClusterServiceAndShutdown,
            "stop_cluster_service_and_reboot" => FinalAction.StopClusterServiceAndReboot,
            "none" => FinalAction.None,
            _ => (FinalAction?)null,
        };
        var reset = m.ReadDuration("reset_after", TimeSpan.FromSeconds(1));
        var script = m.ReadText("script", required: false);
        var scriptLimit = m.ReadInteger("script_limit", 0, 99);
        var scriptTimeout = m.ReadDuration("script_timeout", TimeSpan.FromSeconds(1));
        if (script is null && (scriptLimit is not null || scriptTimeout is not null || m.Value("action") is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "script" }))
        {
            m.ReportMissing("script", "the recovery script (a command) that script_limit, script_timeout and action: script need");
        }

        var preAction = ReadPreAction(m);
        var (scope, resource) = ReadTarget(m, targets);
        var outside = m.ReadBoolean("failover_outside_server_group");
        if (outside is not null && !targets.External)
        {
            m.Diagnostics.Report(m.KeyNode("failover_outside_server_group")!, m.Field("failover_outside_server_group"),
                "applies only to monitors of type external (an error that reports the loss of a whole server group)");
        }
        if (final == FinalAction.StopResource && scope != RecoveryScope.Resource && !(targets.Resources.Count == 1 && !targets.AllGroups))
        {
            m.Diagnostics.Report(m.Value("final_action")!, m.Field("final_action"), "stop_resource needs a resource to stop: set target: GROUP/RESOURCE");
        }
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
            Script = script,
            ScriptLimit = (int)(scriptLimit ?? (script is null ? 0 : 1)),
            ScriptTimeout = scriptTimeout ?? template.ScriptTimeout,
            PreAction = preAction,
            Scope = scope,
            Resource = resource,
            FailoverOutsideServerGroup = outside ?? false,
        };
    }

    /// <summary>
    /// <c>target</c>: the monitor's group (the default), one of its resources (<c>GROUP/RESOURCE</c>, or the bare
    /// name), or <c>all_groups</c> (monitors of the <c>monitors:</c> list only).
    /// </summary>
    private static (RecoveryScope Scope, string? Resource) ReadTarget(MappingReader m, RecoveryTargets targets)
    {
        if (m.Value("target") is not { } node)
        {
            return (RecoveryScope.Group, null);
        }

        var text = Scalars.Text(node, m.Field("target"), m.Diagnostics, "a group, GROUP/RESOURCE or all_groups");
        if (text is null)
        {
            return (RecoveryScope.Group, null);
        }

        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var resource = slash < 0 ? text : text[..slash] == targets.Group ? text[(slash + 1)..] : null;
        if (text == "all_groups" && targets.AllGroups)
        {
            return (RecoveryScope.AllGroups, null);
        }

        if (text == targets.Group)
        {
            return (RecoveryScope.Group, null);
        }

        if (resource is not null && targets.Resources.Contains(resource))
        {
            return (RecoveryScope.Resource, resource);
        }

        List<string> choices = [targets.Group ?? "its group", .. targets.Resources.Select(r => $"{targets.Group}/{r}"), .. targets.AllGroups ? ["all_groups"] : Array.Empty<string>()];
        var expected = choices.Count == 1 ? choices[0] : $"{string.Join(", ", choices[..^1])} or {choices[^1]}";
        Scalars.ReportInvalid(node, m.Field("target"), m.Diagnostics,
            expected + (text == "all_groups" ? " (all_groups is for monitors of the monitors: list)" : ""));
        return (RecoveryScope.Group, null);
    }


    private static PreActionConfig? ReadPreAction(MappingReader owner)
    {
        if (owner.Value("pre_action") is not { } node)
        {
            return null;
        }

        var m = MappingReader.Open(node, owner.Field("pre_action"), owner.Diagnostics, "a pre-action mapping (script, timeout, before)");
        if (m is null)
        {
            return null;
        }

        m.RejectUnknown(PreKeys);
        var script = m.ReadText("script", required: true);
        var timeout = m.ReadDuration("timeout", TimeSpan.FromSeconds(1));
        var before = System.Collections.Immutable.ImmutableArray.CreateBuilder<string>();
        if (m.Value("before") is { } list)
        {
            if (list is not YamlDotNet.RepresentationModel.YamlSequenceNode { Children.Count: > 0 } items)
            {
                Scalars.ReportInvalid(list, m.Field("before"), m.Diagnostics, "a list of rungs (restart, failover, final)");
            }
            else
            {
                for (var i = 0; i < items.Children.Count; i++)
                {
                    var field = $"{m.Field("before")}[{i}]";
                    if (Scalars.Text(items.Children[i], field, m.Diagnostics, "restart, failover or final") is not { } rung)
                    {
                        continue;
                    }

                    if (!PreActionConfig.Rungs.Contains(rung))
                    {
                        m.Diagnostics.Report(items.Children[i], field, $"expected restart, failover or final, got '{Scalars.Printable(rung)}'");
                    }
                    else
                    {
                        before.Add(rung);
                    }
                }
            }
        }

        return script is null ? null : new PreActionConfig
        {
            Script = script,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            Before = before.Count > 0 ? before.ToImmutable() : PreActionConfig.Rungs,
        };
    }
}

/// <summary>What a <c>recovery.target</c> may name where it is read: the group, its resources, all_groups.</summary>
internal sealed record RecoveryTargets(string? Group, IReadOnlyList<string> Resources, bool AllGroups, bool External = false);
