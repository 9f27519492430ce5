using System.Globalization;

namespace Palisade.Agents;

/// <summary>The parameters of the <c>ipmi</c> shutdown agent (declared in the catalog), in typed form.</summary>
internal sealed record IpmiSettings(string Address, int Port, string User, int Cipher, string Privilege, string Method)
{
    /// <summary>Never prints the password, unlike the generated record text would.</summary>
    public override string ToString() => $"ipmi {Endpoint} user {User}";

    /// <summary>"address:port", how the BMC is named in reasons and logs.</summary>
    public string Endpoint => $"{Address}:{Port}";

    /// <summary>The session options of every ipmitool call; <c>-E</c> makes it read the password from IPMI_PASSWORD.</summary>
    public IReadOnlyList<string> SessionArguments =>
    [
        "-I", "lanplus",
        "-H", Address,
        "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-U", User,
        "-C", Cipher.ToString(CultureInfo.InvariantCulture),
        "-L", Privilege,
        "-E",
    ];

    /// <summary>From parameters already validated against the declaration.</summary>
    public static IpmiSettings From(AgentParameters p) => new(
        p.Required("address").Trim(),
        p.Integer("port"),
        p.Required("user"),
        p.Integer("cipher"),
        p.Required("privilege").ToUpperInvariant(),
        p.Required("method").ToLowerInvariant());
}
