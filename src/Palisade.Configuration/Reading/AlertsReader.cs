using System.Collections.Immutable;
using System.Net;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads <c>alerts:</c>, a list of alerts, each with <c>name</c> and <c>type</c>; an agent takes <c>path</c>,
/// <c>recipients</c> and <c>timestamp_format</c>, a webhook <c>url</c>, <c>token_file</c> and <c>ca</c>; both take
/// <c>select</c> and <c>timeout</c>.
/// </summary>
internal static class AlertsReader
{
    private const string AlertExpected = "an alert (a mapping with name, type and its keys)";
    private static readonly string[] Common = ["name", "type", "select", "timeout"];
    private static readonly string[] AgentKeys = [.. Common, "path", "recipients", "timestamp_format"];
    private static readonly string[] WebhookKeys = [.. Common, "url", "token_file", "ca"];
    private static readonly string[] Kinds = ["nodes", "fencing", "resources", "attributes"];

    /// <summary>The alerts; empty when the section is absent. <paramref name="ok"/> is false when anything was wrong.</summary>
    public static ImmutableArray<AlertConfig> Read(MappingReader root, out bool ok)
    {
        ok = true;
        if (root.Value("alerts") is not { } node)
        {
            return [];
        }

        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, "alerts", root.Diagnostics, "a list of alerts");
            ok = false;
            return [];
        }

        var before = root.Diagnostics.Count;
        var result = ImmutableArray.CreateBuilder<AlertConfig>();
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var m = MappingReader.Open(list.Children[i], $"alerts[{i}]", root.Diagnostics, AlertExpected);
            if (m is not null && ReadAlert(m, names) is { } alert)
            {
                result.Add(alert);
            }
        }

        ok = root.Diagnostics.Count == before;
        return ok ? result.ToImmutable() : [];
    }

    private static AlertConfig? ReadAlert(MappingReader m, Dictionary<string, int> names)
    {
        var before = m.Diagnostics.Count;
        var name = m.ReadPattern("name", NodeListReader.GroupLikeName(), "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", required: true);
        if (name is not null && m.Value("name") is { } nameNode)
        {
            if (names.TryGetValue(name, out var line))
            {
                m.Diagnostics.Report(nameNode, m.Field("name"), $"duplicate alert name '{name}' (also used at line {line})");
            }
            else
            {
                names[name] = (int)nameNode.Start.Line;
            }
        }

        var type = m.ReadChoice("type", ["agent", "webhook"], required: true);
        m.RejectUnknown(type switch
        {
            "agent" => AgentKeys,
            "webhook" => WebhookKeys,
            _ => [.. AgentKeys, "url", "token_file", "ca"],
        });
        var kinds = ReadKinds(m);
        var timeout = m.ReadDuration("timeout", TimeSpan.FromSeconds(1)) ?? AlertConfig.DefaultTimeout;
        AlertConfig? alert = type switch
        {
            "agent" => ReadAgent(m, name),
            "webhook" => ReadWebhook(m, name),
            _ => null,
        };
        return m.Diagnostics.Count > before || alert is null || kinds is null ? null : alert with { Kinds = kinds.Value, Timeout = timeout };
    }

    private static AlertConfig? ReadAgent(MappingReader m, string? name)
    {
        var path = AbsolutePath(m, "path", required: true);
        var recipients = ReadRecipients(m);
        var format = m.ReadText("timestamp_format", required: false);
        if (format is not null && AlertTimestamp.Problem(format) is { } problem)
        {
            m.Diagnostics.Report(m.Value("timestamp_format")!, m.Field("timestamp_format"), problem);
            format = null;
        }

        return name is null || path is null || recipients is null ? null : new AlertConfig
        {
            Name = name, Type = AlertType.Agent, Path = path, Recipients = recipients.Value,
            TimestampFormat = format ?? AlertConfig.DefaultTimestampFormat,
        };
    }

    private static AlertConfig? ReadWebhook(MappingReader m, string? name)
    {
        var url = ReadUrl(m);
        var tokenFile = AbsolutePath(m, "token_file", required: false);
        var ca = AbsolutePath(m, "ca", required: false);
        if (ca is not null && url is { Scheme: "http" })
        {
            m.Diagnostics.Report(m.Value("ca")!, m.Field("ca"), "a CA verifies an HTTPS server: this url is plain HTTP");
        }

        return name is null || url is null ? null : new AlertConfig { Name = name, Type = AlertType.Webhook, Url = url, TokenFile = tokenFile, Ca = ca };
    }

    private static Uri? ReadUrl(MappingReader m)
    {
        var text = m.ReadText("url", required: true);
        if (text is null)
        {
            return null;
        }

        var node = m.Value("url")!;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("https" or "http") || url.Host.Length == 0)
        {
            m.Diagnostics.Report(node, m.Field("url"), $"expected an https:// URL (http:// only to a loopback address), got '{Scalars.Printable(text)}'");
            return null;
        }

        if (url.UserInfo.Length > 0)
        {
            m.Diagnostics.Report(node, m.Field("url"), "a URL must not hold a user or password: give the token in token_file");
            return null;
        }

        if (url.Scheme == "http" && !(IPAddress.TryParse(url.IdnHost.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address)))
        {
            m.Diagnostics.Report(node, m.Field("url"), $"plain http:// is allowed only to a loopback address (127.0.0.1, ::1), not to '{url.Host}': use https://");
            return null;
        }

        return url;
    }

    private static ImmutableArray<AlertKind>? ReadKinds(MappingReader m)
    {
        if (m.Value("select") is not { } node)
        {
            return AlertConfig.DefaultKinds;
        }

        const string expected = "a list of kinds: nodes, fencing, resources, attributes";
        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("select"), m.Diagnostics, expected);
            return null;
        }

        var kinds = ImmutableArray.CreateBuilder<AlertKind>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field("select")}[{i}]";
            var text = Scalars.Text(list.Children[i], field, m.Diagnostics, Fields.Choices(Kinds));
            var index = text is null ? -1 : Array.IndexOf(Kinds, text);
            if (text is not null && index < 0)
            {
                Scalars.ReportInvalid(list.Children[i], field, m.Diagnostics, Fields.Choices(Kinds));
            }

            if (index >= 0 && kinds.Contains((AlertKind)index))
            {
                m.Diagnostics.Report(list.Children[i], field, $"'{text}' is selected twice");
                index = -1;
            }

            if (index < 0)
            {
                ok = false;
                continue;
            }

            kinds.Add((AlertKind)index);
        }

        return ok ? kinds.ToImmutable() : null;
    }

    private static ImmutableArray<string>? ReadRecipients(MappingReader m)
    {
        if (m.Value("recipients") is not { } node)
        {
            return [];
        }

        const string expected = "a list of recipients (each a non-empty text on one line)";
        if (node is not YamlSequenceNode list)
        {
            Scalars.ReportInvalid(node, m.Field("recipients"), m.Diagnostics, expected);
            return null;
        }

        var result = ImmutableArray.CreateBuilder<string>();
        var ok = true;
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{m.Field("recipients")}[{i}]";
            var text = Scalars.Text(list.Children[i], field, m.Diagnostics, "a non-empty text on one line");
            if (text is not null && (text.Trim().Length == 0 || Scalars.HasControlCharacters(text)))
            {
                Scalars.ReportInvalid(list.Children[i], field, m.Diagnostics, "a non-empty text on one line");
                text = null;
            }
            else if (text is not null && result.Contains(text))
            {
                m.Diagnostics.Report(list.Children[i], field, $"recipient '{Scalars.Printable(text)}' is listed twice");
                text = null;
            }

            if (text is null)
            {
                ok = false;
                continue;
            }

            result.Add(text);
        }

        return ok ? result.ToImmutable() : null;
    }

    private static string? AbsolutePath(MappingReader m, string key, bool required)
    {
        var text = m.ReadText(key, required);
        if (text is not null && !Path.IsPathRooted(text))
        {
            m.Diagnostics.Report(m.Value(key)!, m.Field(key), $"expected an absolute path, got '{Scalars.Printable(text)}'");
            return null;
        }

        return text;
    }
}
