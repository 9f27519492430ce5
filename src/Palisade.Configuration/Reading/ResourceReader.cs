using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads one resource of a group; which keys apply depends on its type (exec or ocf).</summary>
internal static partial class ResourceReader
{
    private const string NameExpected = "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'";
    private const string AgentExpected = "an OCF agent as provider:type, e.g. heartbeat:IPaddr2";
    private const string ParameterNameExpected = "a name made of letters, digits and '_', not starting with a digit";
    private static readonly string[] Kinds = ["exec", "ocf"];
    private static readonly string[] ExecKeys = ["start", "stop", "monitor", "env"];
    private static readonly string[] OcfKeys = ["agent", "params"];

    private static readonly string[] Keys =
    [
        "name", "type", .. OcfKeys, .. ExecKeys, "start_timeout", "stop_timeout", "monitor_timeout", "monitor_interval", "monitor_retries", "monitor_start_delay", "monitor_on_timeout", "recovery",
    ];

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ResourceName();

    [GeneratedRegex("^[A-Za-z0-9_.-]+:[A-Za-z0-9_.+-]+$")]
    private static partial Regex OcfAgent();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParameterName();

    public static ResourceConfig? Read(YamlNode node, string path, Diagnostics diagnostics, string? group)
    {
        var m = MappingReader.Open(node, path, diagnostics, "a resource (a mapping with name and type)");
        if (m is null)
        {
            return null;
        }

        var before = diagnostics.Count;
        m.RejectUnknown(Keys);
        var name = m.ReadPattern("name", ResourceName(), NameExpected, required: true);
        var kind = m.ReadChoice("type", Kinds, required: true) switch
        {
            "exec" => ResourceKind.Exec,
            "ocf" => ResourceKind.Ocf,
            _ => (ResourceKind?)null,
        };
        var resource = kind switch
        {
            ResourceKind.Exec => ReadExec(m, name),
            ResourceKind.Ocf => ReadOcf(m, name),
            _ => null,
        };
        var timeouts = ReadTimeouts(m);
        var retries = m.ReadInteger("monitor_retries", 0, 99);
        var startDelay = m.ReadDuration("monitor_start_delay", TimeSpan.Zero);
        var onTimeout = m.ReadChoice("monitor_on_timeout", ["error", "ignore"], required: false);
        var recovery = RecoveryReader.Read(m, "recovery", RecoveryConfig.ResourceDefault, new RecoveryTargets(group, name is null ? [] : [name], AllGroups: false));
        if (diagnostics.Count > before || resource is null || recovery is null)
        {
            return null;
        }

        return timeouts(resource) with
        {
            Recovery = recovery,
            MonitorRetries = (int)(retries ?? 0),
            MonitorStartDelay = startDelay ?? TimeSpan.Zero,
            MonitorTimeoutIsError = onTimeout != "ignore",
        };
    }

    private static ResourceConfig? ReadExec(MappingReader m, string? name)
    {
        RejectForeign(m, OcfKeys, "ocf", "exec");
        var start = m.ReadText("start", required: true);
        var stop = m.ReadText("stop", required: true);
        var monitor = m.ReadText("monitor", required: false);
        var env = ReadParameters(m, "env");
        if (name is null || start is null || stop is null)
        {
            return null;
        }

        return new ResourceConfig
        {
            Name = name,
            Kind = ResourceKind.Exec,
            StartCommand = start,
            StopCommand = stop,
            MonitorCommand = monitor,
            Parameters = env,
        };
    }

    private static ResourceConfig? ReadOcf(MappingReader m, string? name)
    {
        RejectForeign(m, ExecKeys, "exec", "ocf");
        var agent = m.ReadPattern("agent", OcfAgent(), AgentExpected, required: true);
        var parameters = ReadParameters(m, "params");
        if (name is null || agent is null)
        {
            return null;
        }

        return new ResourceConfig { Name = name, Kind = ResourceKind.Ocf, Agent = agent, Parameters = parameters };
    }

    private static void RejectForeign(MappingReader m, string[] keys, string owner, string actual)
    {
        foreach (var key in keys.Where(m.Has))
        {
            m.Diagnostics.Report(m.KeyNode(key)!, m.Field(key), $"'{key}' applies only to {owner} resources; this one is {actual}");
        }
    }

    /// <summary>Reads the four timings; the returned function applies those given and keeps the defaults for the rest.</summary>
    private static Func<ResourceConfig, ResourceConfig> ReadTimeouts(MappingReader m)
    {
        var oneMs = TimeSpan.FromMilliseconds(1);
        var start = m.ReadDuration("start_timeout", oneMs);
        var stop = m.ReadDuration("stop_timeout", oneMs);
        var monitor = m.ReadDuration("monitor_timeout", oneMs);
        var interval = m.ReadDuration("monitor_interval", TimeSpan.Zero);
        return r => r with
        {
            StartTimeout = start ?? r.StartTimeout,
            StopTimeout = stop ?? r.StopTimeout,
            MonitorTimeout = monitor ?? r.MonitorTimeout,
            MonitorInterval = interval ?? r.MonitorInterval,
        };
    }

    /// <summary>A flat mapping of names to text values; values of secret-looking names never appear in messages.</summary>
    private static ImmutableSortedDictionary<string, string> ReadParameters(MappingReader m, string key)
    {
        var result = ImmutableSortedDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        if (m.Value(key) is not { } node)
        {
            return result.ToImmutable();
        }

        var map = MappingReader.Open(node, m.Field(key), m.Diagnostics, "a mapping of names to values");
        foreach (var (name, nameNode, value) in map?.Entries ?? [])
        {
            var field = map!.Field(name);
            if (!ParameterName().IsMatch(name))
            {
                Scalars.ReportInvalid(nameNode, field, m.Diagnostics, ParameterNameExpected);
                continue;
            }

            var secret = SecretNames.IsSecret(name);
            if (Scalars.IsNull(value) || value is not YamlScalarNode { Value: { } text })
            {
                Scalars.ReportInvalid(value, field, m.Diagnostics, "a single value (write \"\" for an empty one)", secret);
            }
            else if (text.Contains('\0', StringComparison.Ordinal))
            {
                Scalars.ReportInvalid(value, field, m.Diagnostics, "a value without NUL characters", secret);
            }
            else
            {
                result[name] = text;
            }
        }

        return result.ToImmutable();
    }
}
