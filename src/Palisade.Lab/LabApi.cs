using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>
/// The HTTP API of every lab node: on the node's loopback (plain HTTP), with one <c>operate</c> token every node holds
/// in <see cref="TokenFileOnNode"/> and its base URL in <see cref="UrlFileOnNode"/>, so that inside any node
/// <c>curl -H "Authorization: Bearer $(cat /etc/palisade/api.token)" "$(cat /etc/palisade/api.url)/api/v1/cluster"</c> works.
/// </summary>
internal static class LabApi
{
    public const string TokenFileOnNode = "/etc/palisade/api.token";
    public const string UrlFileOnNode = "/etc/palisade/api.url";

    /// <summary>The section the lab adds when the cluster file has none.</summary>
    public static ApiConfig Config => new()
    {
        Listen = ApiListen.Loopback,
        Tokens = [new ApiToken { Name = "lab", Role = ApiRole.Operate, TokenFile = TokenFileOnNode }],
    };

    /// <summary>Writes the token (mode 600) and the base URL of the API to every node.</summary>
    public static void WriteFiles(LabPaths paths, IReadOnlyList<LabNode> nodes, ApiConfig api)
    {
        var token = Encoding.ASCII.GetBytes(RandomNumberGenerator.GetHexString(40, lowercase: true) + "\n");
        var scheme = api.Certificate is null ? "http" : "https";
        foreach (var node in nodes)
        {
            var etc = paths.NodeSubdir(node.Name, "etc-palisade");
            LabFiles.WriteSecret(Path.Combine(etc, Path.GetFileName(TokenFileOnNode)), token);
            var host = api.Listen switch
            {
                ApiListen.Loopback => "127.0.0.1",
                _ => node.AdminAddress,
            };
            File.WriteAllText(Path.Combine(etc, Path.GetFileName(UrlFileOnNode)), string.Create(CultureInfo.InvariantCulture, $"{scheme}://{host}:{api.Port}\n"));
        }
    }
}
