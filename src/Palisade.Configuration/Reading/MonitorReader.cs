using System.Collections.Immutable;
using System.Net;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads the top-level <c>monitors</c> list: each monitor's type and what it watches, its timing, the nodes it runs
/// on, the group it acts on (<c>target</c>) and its recovery ladder.
/// </summary>
internal sealed partial class MonitorReader(Diagnostics diagnostics, IReadOnlyList<string> declaredNodes, IReadOnlyList<GroupConfig> groups, IReadOnlyList<string> categories)
{
    private const string NameExpected = "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'";
    private static readonly string[] Kinds = ["process", "ip", "nic", "disk", "custom", "resource", "external"];
    private static readonly string[] TypeKeys = ["process", "pidfile", "min_count", "addresses", "interface", "path", "command", "resource", "category", "keyword", "managed_by"];

    private static readonly string[] Keys =
    [
        "name", "type", "target", .. TypeKeys, "interval", "timeout", "retries", "start_delay", "timing", "nodes", "on_timeout", "recovery",
    ];

    private static readonly Dictionary<string, string[]> KeysOf = new(StringComparer.Ordinal)
    {
        ["process"] = ["process", "pidfile", "min_count"],
        ["ip"] = ["addresses"],
        ["nic"] = ["interface"],
        ["disk"] = ["path"],
        ["custom"] = ["command"],
        ["resource"] = ["resource"],
        ["external"] = ["category", "keyword", "managed_by"],
    };

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex MonitorName();

    [GeneratedRegex("^[A-Za-z0-9_.:@-]{1,15}$")]
    private static partial Regex InterfaceName();

    public ImmutableArray<MonitorConfig> Read(YamlNode list)
    {
        var result = ImmutableArray.CreateBuilder<MonitorConfig>();
        if (list is not YamlSequenceNode sequence)
        {
            Scalars.ReportInvalid(list, "monitors", diagnostics, "a list of monitors (name, type, target and what it watches)");
            return result.ToImmutable();
        }

        var names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var m = MappingReader.Open(sequence.Children[i], $"monitors[{i}]", diagnostics, "a monitor (a mapping with name, type and target)");
            if (m is null)
            {
                continue;
            }

            var before = diagnostics.Count;
            var monitor = ReadOne(m);
            if (m.Value("name") is YamlScalarNode { Value: { } name } nameNode && MonitorName().IsMatch(name) && !names.TryAdd(name, nameNode))
            {
                diagnostics.Report(nameNode, m.Field("name"), $"duplicate monitor name '{name}' (also at line {Fields.Line(names[name])})");
            }
            else if (monitor is not null && diagnostics.Count == before)
            {
                result.Add(monitor);
            }
        }

        return result.ToImmutable();
    }

    private MonitorConfig? ReadOne(MappingReader m)
    {
        var before = diagnostics.Count;
        m.RejectUnknown(Keys);
        var name = m.ReadPattern("name", MonitorName(), NameExpected, required: true);
        var type = m.ReadChoice("type", Kinds, required: true);
        var targetName = m.ReadText("target", required: true);
        var target = targetName is null ? null : groups.FirstOrDefault(g => g.Name == targetName);
        if (targetName is not null && target is null)
        {
            diagnostics.Report(m.Value("target")!, m.Field("target"),
                $"group '{Scalars.Printable(targetName)}' is not declared (declared: {(groups.Count == 0 ? "none" : string.Join(", ", groups.Select(g => g.Name)))})");
        }

        if (type is not null)
        {
            foreach (var foreign in TypeKeys.Except(KeysOf[type]).Where(m.Has))
            {
                diagnostics.Report(m.KeyNode(foreign)!, m.Field(foreign), $"'{foreign}' does not apply to {(type is "ip" or "external" ? "an" : "a")} {type} monitor (its keys: {string.Join(", ", KeysOf[type])})");
            }
        }

        var kind = type switch
        {
            "process" => MonitorKind.Process,
            "ip" => MonitorKind.Ip,
            "nic" => MonitorKind.Nic,
            "disk" => MonitorKind.Disk,
            "custom" => MonitorKind.Custom,
            "resource" => MonitorKind.Resource,
            "external" => MonitorKind.External,
            _ => (MonitorKind?)null,
        };
        var watched = kind is { } k ? ReadWatched(m, k) : null;
        var interval = m.ReadDuration("interval", TimeSpan.FromSeconds(1));
        var timeout = m.ReadDuration("timeout", TimeSpan.FromSeconds(1));
        var retries = m.ReadInteger("retries", 0, 99);
        var startDelay = m.ReadDuration("start_delay", TimeSpan.Zero);
        var timing = m.ReadChoice("timing", ["always", "active"], required: false);
        var onTimeout = m.ReadChoice("on_timeout", ["error", "ignore"], required: false);
        var nodes = ReadNodes(m, target);
        var recovery = RecoveryReader.Read(m, "recovery", RecoveryConfig.ResourceDefault,
            new RecoveryTargets(target?.Name, target is null ? [] : [.. target.Resources.Select(r => r.Name)], AllGroups: true, External: kind == MonitorKind.External));
        if (diagnostics.Count > before || name is null || target is null || watched is null || recovery is null)
        {
            return null;
        }

        return watched with
        {
            Name = name,
            Target = target.Name,
            Interval = interval ?? watched.Interval,
            Timeout = timeout ?? watched.Timeout,
            Retries = (int)(retries ?? 0),
            StartDelay = startDelay ?? TimeSpan.Zero,
            Timing = timing == "active" ? MonitorTiming.Active : MonitorTiming.Always,
            TimeoutIsError = onTimeout != "ignore",
            Nodes = nodes,
            Recovery = recovery,
        };
    }

    /// <summary>What the monitor watches, by type; null (with a diagnostic) when it is missing or wrong.</summary>
    private MonitorConfig? ReadWatched(MappingReader m, MonitorKind kind)
    {
        var blank = new MonitorConfig { Name = "", Kind = kind, Target = "" };
        switch (kind)
        {
            case MonitorKind.Process:
                var process = m.ReadText("process", required: false);
                var pidFile = m.ReadText("pidfile", required: false);
                var minCount = m.ReadInteger("min_count", 1, 10_000);
                if (!m.Has("process") && !m.Has("pidfile"))
                {
                    m.ReportMissing("process", "a process name (or pidfile: PATH)");
                    return null;
                }

                if (process is not null && pidFile is not null)
                {
                    diagnostics.Report(m.KeyNode("pidfile")!, m.Field("pidfile"), "give either process or pidfile, not both");
                    return null;
                }

                if (pidFile is not null && !pidFile.StartsWith('/'))
                {
                    diagnostics.Report(m.Value("pidfile")!, m.Field("pidfile"), $"expected an absolute path, got '{Scalars.Printable(pidFile)}'");
                    return null;
                }

                if (minCount is not null && pidFile is not null)
                {
                    diagnostics.Report(m.KeyNode("min_count")!, m.Field("min_count"), "min_count counts processes by name: it does not apply with pidfile");
                    return null;
                }

                return process is null && pidFile is null ? null : blank with { Process = process, PidFile = pidFile, MinCount = (int)(minCount ?? 1) };
            case MonitorKind.Ip:
                var addresses = ReadAddresses(m);
                return addresses.IsDefaultOrEmpty ? null : blank with { Addresses = addresses };
            case MonitorKind.Nic:
                var iface = m.ReadPattern("interface", InterfaceName(), "an interface name of 1 to 15 characters, e.g. eth1", required: true);
                return iface is null ? null : blank with { Interface = iface };
            case MonitorKind.Disk:
                var path = m.ReadText("path", required: true);
                if (path is not null && !path.StartsWith('/'))
                {
                    diagnostics.Report(m.Value("path")!, m.Field("path"), $"expected an absolute path to a file or block device, got '{Scalars.Printable(path)}'");
                    return null;
                }

                return path is null ? null : blank with { Path = path };
            case MonitorKind.External:
                var category = m.ReadText("category", required: true);
                var keyword = m.ReadText("keyword", required: false);
                var managedBy = m.ReadChoice("managed_by", ["server-management"], required: false);
                if (category is not null && !categories.Contains(category))
                {
                    diagnostics.Report(m.Value("category")!, m.Field("category"),
                        $"expected one of {string.Join(", ", categories)} (or a category added under categories:), got '{Scalars.Printable(category)}'");
                    return null;
                }

                if (keyword is not null && System.Text.Encoding.UTF8.GetByteCount(keyword) > Core.Messages.ExternalNoticeRules.MaxKeywordBytes)
                {
                    diagnostics.Report(m.Value("keyword")!, m.Field("keyword"), $"a keyword is at most {Core.Messages.ExternalNoticeRules.MaxKeywordBytes} bytes");
                    return null;
                }

                return category is null ? null : blank with { Category = category, Keyword = keyword, ManagedBy = managedBy };
            case MonitorKind.Resource:
                var named = m.ReadText("resource", required: true);
                var slash = named?.IndexOf('/', StringComparison.Ordinal) ?? -1;
                var owner = slash > 0 ? groups.FirstOrDefault(g => g.Name == named![..slash]) : null;
                if (named is not null && owner?.Resources.Any(r => r.Name == named[(slash + 1)..]) != true)
                {
                    var known = groups.SelectMany(g => g.Resources.Select(r => $"{g.Name}/{r.Name}")).ToList();
                    diagnostics.Report(m.Value("resource")!, m.Field("resource"),
                        $"expected GROUP/RESOURCE of a declared resource, got '{Scalars.Printable(named)}' (declared: {(known.Count == 0 ? "none" : string.Join(", ", known))})");
                    return null;
                }

                return named is null ? null : blank with { Resource = named };
            default:
                var command = m.ReadText("command", required: true);
                return command is null ? null : blank with { Command = command };
        }
    }

    private ImmutableArray<string> ReadAddresses(MappingReader m)
    {
        if (m.Required("addresses", "a list of IP addresses to ping") is not { } node)
        {
            return default;
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("addresses"), diagnostics, "a list of IP addresses to ping");
            return default;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field("addresses")}[{i}]";
            if (Scalars.Text(list.Children[i], field, diagnostics, "an IP address") is not { } text)
            {
                continue;
            }

            if (!IPAddress.TryParse(text, out _))
            {
                diagnostics.Report(list.Children[i], field, $"expected an IPv4 or IPv6 address, got '{Scalars.Printable(text)}'");
                continue;
            }

            result.Add(text);
        }

        return result.Count == list.Children.Count ? result.ToImmutable() : default;
    }

    private ImmutableArray<string> ReadNodes(MappingReader m, GroupConfig? target)
    {
        if (m.Value("nodes") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("nodes"), diagnostics, "a list of node names");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field("nodes")}[{i}]";
            if (Scalars.Text(list.Children[i], field, diagnostics, "a node name") is not { } name)
            {
                continue;
            }

            if (!declaredNodes.Contains(name))
            {
                diagnostics.Report(list.Children[i], field, $"node '{Scalars.Printable(name)}' is not declared (declared: {string.Join(", ", declaredNodes)})");
            }
            else if (target is not null && !target.Nodes.Contains(name))
            {
                diagnostics.Report(list.Children[i], field, $"node '{name}' cannot run group {target.Name} (its nodes: {string.Join(", ", target.Nodes)})");
            }
            else
            {
                result.Add(name);
            }
        }

        return result.ToImmutable();
    }
}
