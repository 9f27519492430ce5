using System.Net;
using System.Net.Sockets;

namespace Palisade.Agents;

/// <summary>The parameters of the <c>redfish</c> and <c>irmc</c> shutdown agents (declared in the catalog), in typed form.</summary>
internal sealed record RedfishSettings(string Address, int Port, string User, string? System, bool VerifyTls, string? CaFile, string Method)
{
    /// <summary>Never prints the password, unlike the generated record text would.</summary>
    public override string ToString() => $"redfish {Endpoint} user {User}";

    /// <summary>"address:port" ("[v6]:port"), how the BMC is named in reasons and logs.</summary>
    public string Endpoint => IsIPv6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}";

    /// <summary>The service root's scheme, host and port; every resource path is resolved against it.</summary>
    public Uri BaseUri => new UriBuilder(Uri.UriSchemeHttps, IsIPv6 ? $"[{Address}]" : Address, Port).Uri;

    private bool IsIPv6 => IPAddress.TryParse(Address, out IPAddress? ip) && ip.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>From parameters already validated against the declaration.</summary>
    public static RedfishSettings From(AgentParameters p) => new(
        p.Required("address").Trim(),
        p.Integer("port"),
        p.Required("user"),
        p.Get("system") is { } system ? NormalizePath(system) : null,
        p.Flag("verify_tls"),
        p.Get("ca_file"),
        p.Required("method").ToLowerInvariant());

    /// <summary>"/redfish/v1/Systems/1/" and "redfish/v1/Systems/1" name the same resource.</summary>
    public static string NormalizePath(string path)
    {
        string trimmed = path.Trim().TrimEnd('/');
        return trimmed.StartsWith('/') ? trimmed : "/" + trimmed;
    }
}
