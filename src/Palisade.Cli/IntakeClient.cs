using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Palisade.Core.Control;

namespace Palisade.Cli;

/// <summary>
/// Sends a request to a node's HTTPS intake (<c>clprexec -h HOST</c>): the bearer token from a root-only file, the
/// node's certificate checked against a CA file (or the system's trust store), the answer or problem turned into
/// a <see cref="ControlResponse"/>.
/// </summary>
internal static class IntakeClient
{
    public const string DefaultTokenFile = "/etc/palisade/intake.token";
    public const string DefaultCaFile = "/etc/palisade/intake-ca.pem";

    public static async Task<ControlResponse> PostAsync(string host, int port, string path, object body, string tokenFile, string? caFile, TimeSpan timeout)
    {
        string token;
        try
        {
            token = (await File.ReadAllTextAsync(tokenFile).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"cannot read the intake token {tokenFile}: {e.Message}", e);
        }

        using var handler = new SocketsHttpHandler { ConnectTimeout = timeout };
        X509Certificate2Collection? roots = null;
        if ((caFile ?? (File.Exists(DefaultCaFile) ? DefaultCaFile : null)) is { } ca)
        {
            roots = [];
            roots.ImportFromPemFile(ca);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Trusted(certificate, errors, roots);
        }

        using var client = new HttpClient(handler) { Timeout = timeout };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"https://{(host.Contains(':', StringComparison.Ordinal) ? $"[{host}]" : host)}:{port}{path}")
        {
            Content = JsonContent.Create(body, options: ControlProtocol.Json),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        try
        {
            using var response = await client.SendAsync(request).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            using var json = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
            if (response.IsSuccessStatusCode)
            {
                return new ControlResponse(true, json.RootElement.TryGetProperty("message", out var m) ? m.GetString() : "done");
            }

            var detail = json.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : response.ReasonPhrase;
            return new ControlResponse(false, Error: $"{host}: {(int)response.StatusCode} {detail}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            var why = e is TaskCanceledException ? $"no answer within {timeout.TotalSeconds:F0} s" : e.InnerException?.Message ?? e.Message;
            throw new IOException($"cannot reach the intake of {host} on port {port}: {why}", e);
        }
    }

    /// <summary>A certificate for the host asked (no name mismatch) that chains to one of <paramref name="roots"/>.</summary>
    private static bool Trusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection roots)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        var leaf = certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(leaf);
    }
}
