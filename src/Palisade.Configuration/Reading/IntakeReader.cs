using System.Collections.Immutable;
using System.Net;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads <c>intake:</c> (the HTTPS endpoint for remote senders): <c>port</c>, <c>listen</c>, <c>certificate</c>,
/// <c>key</c> and <c>senders</c>, each with <c>name</c>, <c>token_file</c>, <c>allow</c> and <c>actions</c>.
/// </summary>
internal static class IntakeReader
{
    private const string Expected = "a mapping (port, listen, certificate, key, senders)";
    private const string SenderExpected = "a sender (a mapping with name, token_file, allow and actions)";
    private static readonly string[] Keys = ["port", "listen", "certificate", "key", "senders"];
    private static readonly string[] SenderKeys = ["name", "token_file", "allow", "actions"];
    private static readonly string[] ActionNames = ["notify", "failover", "script"];

    /// <summary>The section, or null when it is absent (<paramref name="ok"/> true) or wrong (<paramref name="ok"/> false).</summary>
    public static IntakeConfig? Read(MappingReader root, out bool ok)
    {
        ok = true;
        if (root.Value("intake") is not { } node)
        {
            return null;
        }

        var m = MappingReader.Open(node, "intake", root.Diagnostics, Expected);
        if (m is null)
        {
            ok = false;
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var port = m.ReadInteger("port", 1, 65535);
        var listen = m.ReadChoice("listen", ["admin", "interconnect", "any"], required: false);
        var certificate = AbsolutePath(m, "certificate");
        var key = AbsolutePath(m, "key");
        var senders = ReadSenders(m);
        if (m.Diagnostics.Count > before || certificate is null || key is null)
        {
            ok = false;
            return null;
        }

        return new IntakeConfig
        {
            Port = (int)(port ?? IntakeConfig.DefaultPort), Listen = listen switch { "interconnect" => IntakeListen.Interconnect, "any" => IntakeListen.Any, _ => IntakeListen.Admin }, Certificate = certificate, Key = key, Senders = senders,
        };
    }

    private static ImmutableArray<IntakeSender> ReadSenders(MappingReader m)
    {
        var result = ImmutableArray.CreateBuilder<IntakeSender>();
        var node = m.Required("senders", "a list of senders (name, token_file, allow, actions)");
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("senders"), m.Diagnostics, "a list of at least one sender (name, token_file, allow, actions)");
            return [];
        }

        var names = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var s = MappingReader.Open(list.Children[i], $"{m.Field("senders")}[{i}]", m.Diagnostics, SenderExpected);
            if (s is null)
            {
                continue;
            }

            var before = s.Diagnostics.Count;
            s.RejectUnknown(SenderKeys);
            var name = s.ReadPattern("name", NodeListReader.GroupLikeName(), "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", required: true);
            if (name is not null && !names.TryAdd(name, s.Value("name")!))
            {
                s.Diagnostics.Report(s.Value("name")!, s.Field("name"), $"duplicate sender name '{name}' (also at line {Fields.Line(names[name])})");
            }

            var tokenFile = AbsolutePath(s, "token_file");
            var allow = ReadAllow(s);
            var actions = ReadActions(s);
            if (s.Diagnostics.Count == before && name is not null && tokenFile is not null)
            {
                result.Add(new IntakeSender { Name = name, TokenFile = tokenFile, Allow = allow, Actions = actions ?? [IntakeAction.Notify] });
            }
        }

        return result.ToImmutable();
    }

    /// <summary><c>allow: [CIDR | ADDRESS, ...]</c>, required: a sender without networks could never send.</summary>
    private static ImmutableArray<string> ReadAllow(MappingReader s)
    {
        const string expected = "a list of networks (198.18.0.0/24) or addresses the sender may connect from";
        var node = s.Required("allow", expected);
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, s.Field("allow"), s.Diagnostics, expected);
            return [];
        }

        var result = ImmutableArray.CreateBuilder<string>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{s.Field("allow")}[{i}]";
            if (Scalars.Text(list.Children[i], field, s.Diagnostics, "a network or address") is not { } text)
            {
                continue;
            }

            if (ParseNetwork(text) is { } network)
            {
                result.Add(network.ToString());
            }
            else
            {
                s.Diagnostics.Report(list.Children[i], field, $"expected a network such as 198.18.0.0/24 or an address, got '{Scalars.Printable(text)}'");
            }
        }

        return result.ToImmutable();
    }

    /// <summary>A network in CIDR form, or one address as a network of its own.</summary>
    public static IPNetwork? ParseNetwork(string text)
    {
        if (text.Contains('/', StringComparison.Ordinal))
        {
            return IPNetwork.TryParse(text, out var network) ? network : null;
        }

        return IPAddress.TryParse(text, out var address) ? new IPNetwork(address, address.GetAddressBytes().Length * 8) : null;
    }

    private static ImmutableArray<IntakeAction>? ReadActions(MappingReader s)
    {
        if (s.Value("actions") is not { } node)
        {
            return null;
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, s.Field("actions"), s.Diagnostics, $"a list of actions ({string.Join(", ", ActionNames)})");
            return null;
        }

        var result = ImmutableArray.CreateBuilder<IntakeAction>();
        for (var i = 0; i < list.Children.Count; i++)
        {
            var field = $"{s.Field("actions")}[{i}]";
            var text = Scalars.Text(list.Children[i], field, s.Diagnostics, "an action");
            if (text is null)
            {
                continue;
            }

            if (Array.IndexOf(ActionNames, text) is var index and >= 0)
            {
                result.Add((IntakeAction)index);
            }
            else
            {
                s.Diagnostics.Report(list.Children[i], field, $"unknown action '{Scalars.Printable(text)}' (expected {string.Join(", ", ActionNames)})");
            }
        }

        return result.Distinct().ToImmutableArray();
    }

    private static string? AbsolutePath(MappingReader m, string key)
    {
        var text = m.ReadText(key, required: true);
        if (text is not null && !Path.IsPathRooted(text))
        {
            m.Diagnostics.Report(m.Value(key)!, m.Field(key), $"expected an absolute path, got '{Scalars.Printable(text)}'");
            return null;
        }

        return text;
    }
}
