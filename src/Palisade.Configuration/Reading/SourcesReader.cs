using System.Collections.Immutable;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>Reads <c>sources:</c>: <c>links: [IF, ...]</c>, <c>kernel_log: {path, rules}</c> and <c>redfish_events: {delivery, sender, nodes}</c>.</summary>
internal static class SourcesReader
{
    private static readonly string[] Keys = ["links", "kernel_log", "redfish_events", "rasdaemon"];
    private static readonly string[] RasdaemonKeys = ["database", "interval"];
    private static readonly string[] KernelLogKeys = ["path", "rules"];
    private static readonly string[] RedfishKeys = ["delivery", "sender", "nodes"];

    public static SourcesConfig? Read(MappingReader root)
    {
        if (root.Value("sources") is not { } node)
        {
            return new SourcesConfig();
        }

        var m = MappingReader.Open(node, "sources", root.Diagnostics, "a mapping (links, kernel_log, redfish_events, rasdaemon)");
        if (m is null)
        {
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var links = Names(m, "links", "an interface name (1 to 15 bytes, no '/' or spaces)", IsInterfaceName);
        KernelLogSource? kernelLog = null;
        if (m.Has("kernel_log"))
        {
            kernelLog = m.Value("kernel_log") is { } kernelNode && !Scalars.IsNull(kernelNode) ? ReadKernelLog(kernelNode, m.Diagnostics) : new KernelLogSource();
        }

        RedfishEventsSource? redfish = null;
        if (m.Has("redfish_events"))
        {
            redfish = m.Value("redfish_events") is { } redfishNode && !Scalars.IsNull(redfishNode) ? ReadRedfish(redfishNode, m.Diagnostics) : new RedfishEventsSource();
        }

        RasdaemonSource? rasdaemon = null;
        if (m.Has("rasdaemon"))
        {
            rasdaemon = m.Value("rasdaemon") is { } rasNode && !Scalars.IsNull(rasNode) ? ReadRasdaemon(rasNode, m.Diagnostics) : new RasdaemonSource();
        }

        return m.Diagnostics.Count > before ? null : new SourcesConfig { Links = links, KernelLog = kernelLog, RedfishEvents = redfish, Rasdaemon = rasdaemon };
    }

    private static RasdaemonSource? ReadRasdaemon(YamlNode node, Diagnostics diagnostics)
    {
        var r = MappingReader.Open(node, "sources.rasdaemon", diagnostics, "a mapping (database, interval), or nothing for the defaults");
        if (r is null)
        {
            return null;
        }

        r.RejectUnknown(RasdaemonKeys);
        var database = r.ReadText("database", required: false);
        if (database is not null && !Path.IsPathRooted(database))
        {
            diagnostics.Report(r.Value("database")!, r.Field("database"), $"expected an absolute path, got '{Scalars.Printable(database)}'");
        }

        var interval = r.ReadDuration("interval", TimeSpan.FromSeconds(1)) ?? TimeSpan.FromSeconds(5);
        return new RasdaemonSource { Database = database ?? RasdaemonSource.DefaultDatabase, Interval = interval };
    }

    private static RedfishEventsSource? ReadRedfish(YamlNode node, Diagnostics diagnostics)
    {
        var r = MappingReader.Open(node, "sources.redfish_events", diagnostics, "a mapping (delivery, sender, nodes), or nothing for the defaults");
        if (r is null)
        {
            return null;
        }

        r.RejectUnknown(RedfishKeys);
        var delivery = RedfishDelivery.Push;
        switch (r.ReadText("delivery", required: false))
        {
            case null or "push":
                break;
            case "sse":
                delivery = RedfishDelivery.Sse;
                break;
            case var other:
                diagnostics.Report(r.Value("delivery")!, r.Field("delivery"), $"expected push or sse, got '{Scalars.Printable(other)}'");
                break;
        }

        var sender = r.ReadText("sender", required: false);
        var nodes = Names(r, "nodes", "a node name", static n => n.Length > 0);
        return new RedfishEventsSource { Delivery = delivery, Sender = sender, Nodes = nodes };
    }

    private static KernelLogSource? ReadKernelLog(YamlNode node, Diagnostics diagnostics)
    {
        var k = MappingReader.Open(node, "sources.kernel_log", diagnostics, "a mapping (path, rules), or nothing for the defaults");
        if (k is null)
        {
            return null;
        }

        k.RejectUnknown(KernelLogKeys);
        var path = k.ReadText("path", required: false);
        if (path is not null && !Path.IsPathRooted(path))
        {
            diagnostics.Report(k.Value("path")!, k.Field("path"), $"expected an absolute path, got '{Scalars.Printable(path)}'");
        }

        var rules = Names(k, "rules", "an absolute path of a rule file or directory", Path.IsPathRooted);
        return new KernelLogSource { Path = path ?? KernelLogSource.DefaultPath, Rules = rules };
    }

    private static ImmutableArray<string> Names(MappingReader m, string key, string expected, Func<string, bool> valid)
    {
        if (m.Value(key) is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, m.Field(key), m.Diagnostics, $"a list, each {expected}");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field(key)}[{i}]";
            if (Scalars.Text(list.Children[i], field, m.Diagnostics, expected) is not { } text)
            {
                continue;
            }

            if (!valid(text))
            {
                m.Diagnostics.Report(list.Children[i], field, $"expected {expected}, got '{Scalars.Printable(text)}'");
            }
            else if (result.Contains(text))
            {
                m.Diagnostics.Report(list.Children[i], field, $"'{text}' is listed twice");
            }
            else
            {
                result.Add(text);
            }
        }

        return result.ToImmutable();
    }

    private static bool IsInterfaceName(string name) =>
        System.Text.Encoding.UTF8.GetByteCount(name) is >= 1 and <= 15 && !name.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)) && name is not ("." or "..");
}
