using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Palisade.Lab.Redfish;

/// <summary>
/// The lab's own small PKI: a CA made per lab, and per node a Redfish BMC certificate whose subject
/// alternative name is the BMC's IP address, so that clients can verify BMCs with verification on, and a certificate
/// for the node's HTTPS intake (its interconnect and admin addresses).
/// </summary>
internal static class LabCertificates
{
    private const UnixFileMode Public = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private static readonly Oid ServerAuthentication = new("1.3.6.1.5.5.7.3.1", "Server Authentication");

    /// <summary>
    /// Writes the CA certificate (state and every node's /etc/palisade) and each BMC's certificate and key
    /// (mode 600). The CA's private key is only kept in memory: nothing signs with it after lab up.
    /// </summary>
    public static void Create(LabPaths paths, string cluster, IReadOnlyList<LabNode> nodes, TimeProvider time)
    {
        // Valid from a minute ago: a client whose clock is read a moment earlier must not see a future certificate.
        var notBefore = time.GetUtcNow().AddMinutes(-1);
        var caNotAfter = notBefore.AddYears(1);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN=Palisade lab CA ({cluster})", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, caNotAfter);
        var caPem = ca.ExportCertificatePem() + "\n";
        WritePublic(paths.CaCertificate, caPem);

        foreach (var node in nodes)
        {
            Directory.CreateDirectory(paths.BmcDir(node.Name));
            WritePublic(Path.Combine(paths.NodeSubdir(node.Name, "etc-palisade"), Path.GetFileName(LabBmcAccess.CaFileOnNode)), caPem);
            WritePublic(Path.Combine(paths.NodeSubdir(node.Name, "etc-palisade"), Path.GetFileName(LabIntake.CaFileOnNode)), caPem);
            var (bmcCertificate, bmcKey) = Issue(ca, node.BmcAddress, [node.BmcAddress], notBefore, caNotAfter);
            WritePublic(paths.RedfishCertificate(node.Name), bmcCertificate);
            LabFiles.WriteSecret(paths.RedfishKey(node.Name), Encoding.ASCII.GetBytes(bmcKey));
            var (intakeCertificate, intakeKey) = Issue(ca, node.Name, LabIntake.AddressesOf(node), notBefore, caNotAfter);
            var etc = paths.NodeSubdir(node.Name, "etc-palisade");
            WritePublic(Path.Combine(etc, Path.GetFileName(LabIntake.CertificateOnNode)), intakeCertificate);
            LabFiles.WriteSecret(Path.Combine(etc, Path.GetFileName(LabIntake.KeyOnNode)), Encoding.ASCII.GetBytes(intakeKey));
        }
    }

    /// <summary>A server certificate (PEM) and its key (PKCS#8 PEM) from the lab CA, valid for <paramref name="addresses"/>.</summary>
    private static (string Certificate, string Key) Issue(X509Certificate2 ca, string name, IReadOnlyList<string> addresses, DateTimeOffset notBefore, DateTimeOffset caNotAfter)
    {
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            foreach (var address in addresses)
            {
                names.AddIpAddress(IPAddress.Parse(address));
            }

            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([ServerAuthentication], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));

            // The issuer's validity is stored in whole seconds: a day's margin keeps the leaf inside it.
            using var certificate = request.Create(ca, notBefore, caNotAfter.AddDays(-1), SerialNumber());
            return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
        }
    }

    /// <summary>A random positive 128-bit serial: certificates of successive labs never share one.</summary>
    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7f;
        serial[0] |= 0x01;
        return serial;
    }

    private static void WritePublic(string path, string content)
    {
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Public);
    }
}
