using System.Net.Http.Headers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Palisade.Agents;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Alerts;

/// <summary>How one delivery attempt ended; <see cref="Detail"/> never holds a token.</summary>
internal sealed record DeliveryResult(bool Ok, string Detail);

/// <summary>One attempt to deliver an event: an agent run, or a webhook POST.</summary>
internal interface IAlertSender
{
    Task<DeliveryResult> SendAsync(AlertConfig alert, QueuedAlert item, CancellationToken ct);
}

/// <summary>
/// Runs agents (no arguments, as Pacemaker runs them; the event in <see cref="AgentEnvironment"/>) and posts to webhooks (JSON body, bearer token read from its file at every attempt, the sequence in
/// <see cref="WebhookBody.IdempotencyHeader"/>, the server checked against the alert's CA when it has one).
/// </summary>
internal sealed class AlertSender(string cluster, Func<ProcessSpec, CancellationToken, Task<ProcessResult>> commands) : IAlertSender, IDisposable
{
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public async Task<DeliveryResult> SendAsync(AlertConfig alert, QueuedAlert item, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(item);
        return alert.Type == AlertType.Agent ? await RunAgentAsync(alert, item, ct).ConfigureAwait(false) : await PostAsync(alert, item, ct).ConfigureAwait(false);
    }

    private async Task<DeliveryResult> RunAgentAsync(AlertConfig alert, QueuedAlert item, CancellationToken ct)
    {
        var r = await commands(new ProcessSpec(alert.Path!, [], AgentEnvironment.Of(alert, item), Timeout: alert.Timeout), ct).ConfigureAwait(false);
        if (r.ExitCode == 0)
        {
            return new(true, $"{alert.Path} exited 0");
        }

        var why = r.TimedOut ? $"timed out after {alert.Timeout.TotalSeconds:0.#} s" : r.ExitCode is { } code ? $"exited {code}" : "could not run";
        var error = r.StandardError.Trim();
        return new(false, $"{alert.Path} {why}{(error.Length > 0 ? ": " + Truncate(error) : "")}");
    }

    private async Task<DeliveryResult> PostAsync(AlertConfig alert, QueuedAlert item, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, alert.Url);
        request.Content = new StringContent(WebhookBody.Of(cluster, item), Encoding.UTF8, "application/json");
        request.Headers.TryAddWithoutValidation(WebhookBody.IdempotencyHeader, item.Sequence.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (alert.TokenFile is { } tokenFile)
        {
            var (token, problem) = Intake.SenderAuthority.ReadToken(tokenFile);
            if (token is null)
            {
                return new(false, $"token_file: {problem}");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Encoding.UTF8.GetString(token));
        }

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(alert.Timeout);
        try
        {
            using var response = await ClientOf(alert).SendAsync(request, limit.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new(response.IsSuccessStatusCode, $"{alert.Url} answered {status}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new(false, $"{alert.Url}: no answer within {alert.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            return new(false, $"{alert.Url}: {Truncate(e.InnerException?.Message ?? e.Message)}");
        }
    }

    private HttpClient ClientOf(AlertConfig alert)
    {
        lock (_gate)
        {
            if (_clients.TryGetValue(alert.Name, out var client))
            {
                return client;
            }

            var handler = new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) };
            if (alert.Ca is { } ca)
            {
                var trusted = new X509Certificate2Collection();
                trusted.ImportFromPemFile(ca);
                handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) => Verify(certificate, errors, trusted);
            }

            client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
            _clients[alert.Name] = client;
            return client;
        }
    }

    /// <summary>The server's certificate chains to the alert's CA and names the host (the chain is built on it alone).</summary>
    private static bool Verify(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection trusted)
    {
        if (certificate is null || (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) != 0)
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "...";

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var client in _clients.Values)
            {
                client.Dispose();
            }

            _clients.Clear();
        }
    }
}
