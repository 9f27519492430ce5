using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Palisade.Agents;

/// <summary>
/// Decides which BMC certificates one Redfish session accepts: those the system trusts (the default), only those
/// issued by the authorities of <c>ca_file</c>, or any (verify_tls false). It remembers why it refused one, because
/// the exception HttpClient throws then only says that the callback rejected the certificate.
/// </summary>
internal sealed class RedfishCertificatePolicy : IDisposable
{
    private readonly X509Certificate2Collection? _authorities;
    private readonly string? _caFile;
    private readonly bool _acceptAny;

    private RedfishCertificatePolicy(X509Certificate2Collection? authorities, string? caFile, bool acceptAny)
    {
        _authorities = authorities;
        _caFile = caFile;
        _acceptAny = acceptAny;
    }

    /// <summary>Why the last certificate was refused, in words for a reason line; null when none was.</summary>
    public string? Refusal { get; private set; }

    /// <summary>How certificates are checked, for the init reason.</summary>
    public string Description =>
        _acceptAny ? "TLS verification off" : _caFile is null ? "TLS verified against the system's authorities" : $"TLS verified against {_caFile}";

    /// <summary>The policy for these settings; ca_file is read now, so a replaced authority is picked up at the next use.</summary>
    public static (RedfishCertificatePolicy? Policy, string Problem) Load(RedfishSettings settings)
    {
        if (!settings.VerifyTls)
        {
            return (new RedfishCertificatePolicy(null, null, acceptAny: true), "");
        }

        if (settings.CaFile is not { } caFile)
        {
            return (new RedfishCertificatePolicy(null, null, acceptAny: false), "");
        }

        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(caFile);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return (null, $"cannot read ca_file {caFile}: {e.Message}");
        }

        return authorities.Count == 0
            ? (null, $"ca_file {caFile} holds no PEM certificate")
            : (new RedfishCertificatePolicy(authorities, caFile, acceptAny: false), "");
    }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (_acceptAny)
        {
            return true;
        }

        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return Refuse("the BMC sent no certificate");
        }

        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
        {
            return Refuse("the BMC's certificate does not name the address it was reached at");
        }

        return _authorities is null ? CheckSystemTrust(chain, errors) : CheckAuthorities(certificate, chain);
    }

    public void Dispose()
    {
        if (_authorities is not null)
        {
            foreach (X509Certificate2 authority in _authorities)
            {
                authority.Dispose();
            }
        }
    }

    private bool CheckSystemTrust(X509Chain? chain, SslPolicyErrors errors) =>
        errors == SslPolicyErrors.None
        || Refuse($"the BMC's certificate is not trusted ({Statuses(chain)}); give its authority in ca_file, or verify_tls false for a lab");

    private bool CheckAuthorities(X509Certificate certificate, X509Chain? presented)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_authorities!);

        // BMC certificates rarely carry revocation endpoints, and a BMC network rarely reaches one.
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

        // Intermediates the BMC sent along may be needed to reach the authority.
        if (presented is not null)
        {
            foreach (X509ChainElement element in presented.ChainElements.Skip(1))
            {
                chain.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using X509Certificate2 leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf)
            || Refuse($"the BMC's certificate is not issued by the authority in ca_file {_caFile} ({Statuses(chain)})");
    }

    private bool Refuse(string why)
    {
        Refusal = why;
        return false;
    }

    private static string Statuses(X509Chain? chain)
    {
        string[] statuses = chain is null
            ? []
            : [.. chain.ChainStatus.Select(s => s.Status).Where(s => s != X509ChainStatusFlags.NoError).Distinct().Select(s => s.ToString())];
        return statuses.Length == 0 ? "chain not valid" : string.Join(", ", statuses);
    }
}
