using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>
/// The HTTPS intake of every lab node: a certificate from the lab CA for the node's addresses, and one sender,
/// <c>lab</c>, whose token every node holds in <see cref="TokenFileOnNode"/> and which may send from the lab network.
/// </summary>
internal static class LabIntake
{
    public const string CertificateOnNode = "/etc/palisade/intake.crt";
    public const string KeyOnNode = "/etc/palisade/intake.key";
    public const string TokenFileOnNode = "/etc/palisade/intake.token";

    /// <summary>Where <c>clprexec -h</c> looks for the CA by default: the lab CA.</summary>
    public const string CaFileOnNode = "/etc/palisade/intake-ca.pem";
    public const string Sender = "lab";

    /// <summary>The section the lab adds when the cluster file has none.</summary>
    public static IntakeConfig Config => new()
    {
        Certificate = CertificateOnNode,
        Key = KeyOnNode,
        Senders =
        [
            new IntakeSender
            {
                Name = Sender, TokenFile = TokenFileOnNode, Allow = [LabTopology.Network],
                Actions = [IntakeAction.Notify, IntakeAction.Failover, IntakeAction.Script],
            },
        ],
    };

    /// <summary>Writes the same random token to every node (mode 600).</summary>
    public static void WriteToken(LabPaths paths, IReadOnlyList<LabNode> nodes)
    {
        var token = Encoding.ASCII.GetBytes(RandomNumberGenerator.GetHexString(40, lowercase: true) + "\n");
        foreach (var node in nodes)
        {
            LabFiles.WriteSecret(Path.Combine(paths.NodeSubdir(node.Name, "etc-palisade"), Path.GetFileName(TokenFileOnNode)), token);
        }
    }

    public static ImmutableArray<string> AddressesOf(LabNode node) => [node.InterconnectAddress, node.AdminAddress];
}
