using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Agents.Tests;

/// <summary>Server certificates for 127.0.0.1, made in the test: self-signed, or issued by a test authority.</summary>
internal static class TestCertificates
{
    /// <summary>A certificate that names 127.0.0.1 and signs itself, as most BMCs ship.</summary>
    public static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = ServerRequest("CN=bmc self-signed", key);
        using X509Certificate2 certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        return Reloaded(certificate);
    }

    /// <summary>A test authority and a server certificate for 127.0.0.1 that it issued.</summary>
    public static (X509Certificate2 Authority, X509Certificate2 Server) Issued()
    {
        using var authorityKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var authorityRequest = new CertificateRequest("CN=palisade test authority", authorityKey, HashAlgorithmName.SHA256);
        authorityRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        authorityRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        authorityRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(authorityRequest.PublicKey, false));
        using X509Certificate2 authority = authorityRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddDays(2));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = ServerRequest("CN=bmc issued", serverKey);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(authority, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(8);
        using X509Certificate2 issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        using X509Certificate2 withKey = issued.CopyWithPrivateKey(serverKey);
        return (X509CertificateLoader.LoadCertificate(authority.RawData), Reloaded(withKey));
    }

    /// <summary>Writes the public certificate as PEM, as an operator's ca_file would hold it.</summary>
    public static string WritePem(TempDir dir, string name, X509Certificate2 certificate) => dir.Write(name, certificate.ExportCertificatePem() + "\n");

    private static CertificateRequest ServerRequest(string subject, ECDsa key)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return request;
    }

    /// <summary>Through PKCS#12, so the private key is one TLS can use on every platform.</summary>
    private static X509Certificate2 Reloaded(X509Certificate2 certificate) =>
        X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
}
