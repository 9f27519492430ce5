using System.Collections.Immutable;
using Palisade.Core.Configuration;
using YamlDotNet.RepresentationModel;

namespace Palisade.Configuration.Reading;

/// <summary>
/// Reads <c>api:</c>: <c>port</c>, <c>listen</c> (loopback, admin, any), <c>certificate</c> and <c>key</c> (required
/// unless on loopback), <c>tokens</c>, each with <c>name</c>, <c>role</c> (view, operate, admin) and <c>token_file</c>,
/// and <c>logins</c> (PAM logins by Unix group).
/// </summary>
internal static partial class ApiReader
{
    private const string Expected = "a mapping (port, listen, certificate, key, tokens, logins)";
    private static readonly string[] Keys = ["port", "listen", "certificate", "key", "tokens", "logins"];
    private static readonly string[] LoginKeys = ["service", "view", "operate", "admin", "session"];
    private static readonly string[] TokenKeys = ["name", "role", "token_file"];

    /// <summary>The section, or null when it is absent (<paramref name="ok"/> true) or wrong (<paramref name="ok"/> false).</summary>
    public static ApiConfig? Read(MappingReader root, out bool ok)
    {
        ok = true;
        if (root.Value("api") is not { } node)
        {
            return null;
        }

        var m = MappingReader.Open(node, "api", root.Diagnostics, Expected);
        if (m is null)
        {
            ok = false;
            return null;
        }

        var before = m.Diagnostics.Count;
        m.RejectUnknown(Keys);
        var port = m.ReadInteger("port", 1, 65535);
        var listen = m.ReadChoice("listen", ["loopback", "admin", "any"], required: false) switch
        {
            "admin" => ApiListen.Admin,
            "any" => ApiListen.Any,
            _ => ApiListen.Loopback,
        };
        var certificate = AbsolutePath(m, "certificate");
        var key = AbsolutePath(m, "key");
        if (listen != ApiListen.Loopback && (certificate is null || key is null) && m.Diagnostics.Count == before)
        {
            m.Diagnostics.Report(m.Value("listen")!, m.Field("listen"), "an API on the network needs TLS: give certificate and key (plain HTTP only with listen: loopback)");
        }

        var tokens = ReadTokens(m);
        var logins = ReadLogins(m);
        if (m.Diagnostics.Count > before)
        {
            ok = false;
            return null;
        }

        return new ApiConfig { Port = (int)(port ?? ApiConfig.DefaultPort), Listen = listen, Certificate = certificate, Key = key, Tokens = tokens, Logins = logins };
    }

    private static ImmutableArray<ApiToken> ReadTokens(MappingReader m)
    {
        var node = m.Required("tokens", "a list of tokens (name, role, token_file)");
        if (node is null)
        {
            return [];
        }

        if (node is not YamlSequenceNode { Children.Count: > 0 } list)
        {
            Scalars.ReportInvalid(node, m.Field("tokens"), m.Diagnostics, "a list of at least one token (name, role, token_file)");
            return [];
        }

        var result = ImmutableArray.CreateBuilder<ApiToken>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Children.Count; i++)
        {
            var t = MappingReader.Open(list.Children[i], $"{m.Field("tokens")}[{i}]", m.Diagnostics, "a token (a mapping with name, role and token_file)");
            if (t is null)
            {
                continue;
            }

            var before = t.Diagnostics.Count;
            t.RejectUnknown(TokenKeys);
            var name = t.ReadPattern("name", NodeListReader.GroupLikeName(), "1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'", required: true);
            if (name is not null && !names.Add(name))
            {
                t.Diagnostics.Report(t.Value("name")!, t.Field("name"), $"duplicate token name '{name}'");
            }

            var role = t.ReadChoice("role", ["view", "operate", "admin"], required: true);
            var file = t.ReadText("token_file", required: true);
            if (file is not null && !Path.IsPathRooted(file))
            {
                t.Diagnostics.Report(t.Value("token_file")!, t.Field("token_file"), $"expected an absolute path, got '{Scalars.Printable(file)}'");
            }

            if (t.Diagnostics.Count == before && name is not null && role is not null && file is not null)
            {
                result.Add(new ApiToken { Name = name, Role = role switch { "admin" => ApiRole.Admin, "operate" => ApiRole.Operate, _ => ApiRole.View }, TokenFile = file });
            }
        }

        return result.ToImmutable();
    }

    /// <summary><c>logins:</c> service (a PAM service name), view, operate, admin (Unix group names, at least one), session.</summary>
    private static ApiLogins? ReadLogins(MappingReader m)
    {
        if (m.Value("logins") is not { } node)
        {
            return null;
        }

        var l = MappingReader.Open(node, m.Field("logins"), m.Diagnostics, "a mapping (service, view, operate, admin, session)");
        if (l is null)
        {
            return null;
        }

        var before = l.Diagnostics.Count;
        l.RejectUnknown(LoginKeys);
        var service = l.ReadPattern("service", ServiceName(), "1 to 64 characters from a-z, A-Z, 0-9, '.', '_' and '-'", required: false);
        var groups = new[] { "view", "operate", "admin" }.Select(k => l.ReadPattern(k, UnixGroupName(), "a Unix group name (a letter or '_', then up to 31 of a-z, 0-9, '_', '-')", required: false)).ToArray();
        var session = l.ReadDuration("session", TimeSpan.FromMinutes(1));
        if (l.Diagnostics.Count == before && groups.All(g => g is null))
        {
            l.Diagnostics.Report(node, l.Field("view"), "name at least one Unix group (view, operate or admin) whose users may log in");
        }

        return l.Diagnostics.Count > before ? null : new ApiLogins
        {
            Service = service ?? ApiLogins.DefaultService,
            View = groups[0],
            Operate = groups[1],
            Admin = groups[2],
            Session = session ?? TimeSpan.FromHours(8),
        };
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9._-]{1,64}$")]
    private static partial System.Text.RegularExpressions.Regex ServiceName();

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex UnixGroupName();

    private static string? AbsolutePath(MappingReader m, string key)
    {
        var text = m.ReadText(key, required: false);
        if (text is not null && !Path.IsPathRooted(text))
        {
            m.Diagnostics.Report(m.Value(key)!, m.Field(key), $"expected an absolute path, got '{Scalars.Printable(text)}'");
            return null;
        }

        return text;
    }
}
