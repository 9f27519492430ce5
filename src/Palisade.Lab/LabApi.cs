using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>
/// The HTTP API of every lab node: on the node's loopback (plain HTTP), with one <c>operate</c> token every node holds
/// in <see cref="TokenFileOnNode"/> and its base URL in <see cref="UrlFileOnNode"/>, so that inside any node
/// <c>curl -H "Authorization: Bearer $(cat /etc/palisade/api.token)" "$(cat /etc/palisade/api.url)/api/v1/cluster"</c> works.
/// An <c>admin</c> token (forced stops) is in <see cref="AdminTokenFileOnNode"/>.
/// </summary>
internal static class LabApi
{
    public const string TokenFileOnNode = "/etc/palisade/api.token";
    public const string UrlFileOnNode = "/etc/palisade/api.url";
    public const string AdminTokenFileOnNode = "/etc/palisade/api-admin.token";

    /// <summary>The section the lab adds when the cluster file has none.</summary>
    public static ApiConfig Config => new()
    {
        Listen = ApiListen.Loopback,
        Tokens =
        [
            new ApiToken { Name = "lab", Role = ApiRole.Operate, TokenFile = TokenFileOnNode },
            new ApiToken { Name = "lab-admin", Role = ApiRole.Admin, TokenFile = AdminTokenFileOnNode },
        ],
        Logins = LabLogins.Config,
    };

    /// <summary>
    /// Writes the base URL of the API and, for every token whose file is in the node's /etc/palisade, a new secret
    /// (mode 600; the same on every node) to every node.
    /// </summary>
    public static void WriteFiles(LabPaths paths, IReadOnlyList<LabNode> nodes, ApiConfig api)
    {
        var tokens = api.Tokens.Select(t => t.TokenFile).Where(f => Path.GetDirectoryName(f) == Path.GetDirectoryName(TokenFileOnNode)).Distinct()
            .Select(f => (File: Path.GetFileName(f), Secret: Encoding.ASCII.GetBytes(RandomNumberGenerator.GetHexString(40, lowercase: true) + "\n")))
            .ToList();
        var scheme = api.Certificate is null ? "http" : "https";
        foreach (var node in nodes)
        {
            var etc = paths.NodeSubdir(node.Name, "etc-palisade");
            foreach (var (file, secret) in tokens)
            {
                LabFiles.WriteSecret(Path.Combine(etc, file), secret);
            }

            var host = api.Listen switch
            {
                ApiListen.Loopback => "127.0.0.1",
                _ => node.AdminAddress,
            };
            File.WriteAllText(Path.Combine(etc, Path.GetFileName(UrlFileOnNode)), string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{api.Port}\n"));
        }
    }
}
