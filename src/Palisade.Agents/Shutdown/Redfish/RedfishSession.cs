using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>
/// One operation's HTTPS connection to a BMC's Redfish service: Basic authentication, JSON in and out, and every
/// request bounded by the time the operation has left. Built per operation so that a rotated password or
/// authority file is used at the next operation, and disposed with it.
/// </summary>
internal sealed class RedfishSession : IDisposable
{
    /// <summary>Redfish resources are a few KiB; anything far larger is not a BMC answering.</summary>
    private const int MaxBodyBytes = 1 << 20;

    private const int DetailChars = 200;

    private readonly HttpClient _http;
    private readonly RedfishCertificatePolicy _policy;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly string _target;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    public RedfishSession(RedfishSettings settings, string password, RedfishCertificatePolicy policy, string target, ILogger logger, TimeProvider time)
    {
        _policy = policy;
        _target = target;
        _logger = logger;
        _time = time;
        Redactor = new Redactor([password]);
        _authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.User}:{password}")));
        var handler = new SocketsHttpHandler
        {
            // A BMC sits on a management network: never go through a proxy set in the environment.
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            ConnectTimeout = Timeout.InfiniteTimeSpan,
            SslOptions = { RemoteCertificateValidationCallback = policy.Validate },
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = settings.BaseUri,
            Timeout = Timeout.InfiniteTimeSpan,
            MaxResponseContentBufferSize = MaxBodyBytes,
        };
    }

    /// <summary>Knows the password, so it can scrub it from anything a BMC echoes back.</summary>
    public Redactor Redactor { get; }

    public Task<RedfishReply> GetAsync(string path, TimeSpan remaining, CancellationToken ct) =>
        SendAsync(HttpMethod.Get, path, null, remaining, ct);

    public Task<RedfishReply> PostAsync(string path, string json, TimeSpan remaining, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, json, remaining, ct);

    public Task<RedfishReply> DeleteAsync(string path, TimeSpan remaining, CancellationToken ct) =>
        SendAsync(HttpMethod.Delete, path, null, remaining, ct);

    /// <summary>
    /// Opens a server-sent event stream (<c>text/event-stream</c>) and returns once its headers are in; the caller
    /// reads the body until the stream ends and disposes the response. Null with a problem when it cannot be opened.
    /// </summary>
    public async Task<(HttpResponseMessage? Stream, string Problem)> OpenStreamAsync(string path, string? lastEventId, TimeSpan connectLimit, CancellationToken ct)
    {
        string call = $"GET {path} (event stream)";
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        using var deadline = new CancellationTokenSource(connectLimit, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        HttpResponseMessage? response = null;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                string problem = $"{call} -> {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
                response.Dispose();
                return (null, problem);
            }

            return (response, "");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            response?.Dispose();
            return (null, Redactor.Scrub($"{call} timed out after {AgentText.Span(connectLimit)}"));
        }
        catch (HttpRequestException e)
        {
            response?.Dispose();
            return (null, Redactor.Scrub($"{call}: {Describe(e)}"));
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _policy.Dispose();
    }

    private async Task<RedfishReply> SendAsync(HttpMethod method, string path, string? json, TimeSpan remaining, CancellationToken ct)
    {
        string call = $"{method.Method} {path}";
        if (remaining <= TimeSpan.Zero)
        {
            return new RedfishReply(null, default, $"{call} not sent: no time left", TimedOut: true, "");
        }

        long started = _time.GetTimestamp();
        using var deadline = new CancellationTokenSource(remaining, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Add("OData-Version", "4.0");
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false);
            Log.RedfishCallFinished(_logger, _target, call, (int)response.StatusCode, _time.GetElapsedTime(started).TotalMilliseconds);
            return Interpret(call, method == HttpMethod.Get, response, body);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed(call, $"{call} timed out after {AgentText.Span(_time.GetElapsedTime(started))}", timedOut: true);
        }
        catch (HttpRequestException e)
        {
            return Failed(call, $"{call}: {Describe(e)}", timedOut: false);
        }
    }

    private RedfishReply Interpret(string call, bool readsResource, HttpResponseMessage response, string body)
    {
        int status = (int)response.StatusCode;
        string statusText = $"{status} {(string.IsNullOrWhiteSpace(response.ReasonPhrase) ? response.StatusCode.ToString() : response.ReasonPhrase)}";
        string excerpt = Redactor.Scrub(body.Length <= AgentText.ExcerptChars ? body : body[..AgentText.ExcerptChars] + "...");
        JsonElement parsed = Parse(body);
        if (status is < 200 or >= 300)
        {
            string detail = Redactor.Scrub(ErrorMessage(parsed) ?? "");
            return new RedfishReply(status, parsed, AgentText.WithDetail($"{call} -> {statusText}", Clip(detail)), TimedOut: false, excerpt);
        }

        // A Reset may answer 204 without a body, or a task monitor; only a resource read must give a JSON object.
        if (readsResource && parsed.ValueKind != JsonValueKind.Object)
        {
            return new RedfishReply(status, parsed, $"{call} -> {statusText} but the body is not a JSON object", TimedOut: false, excerpt);
        }

        return new RedfishReply(status, parsed, "", TimedOut: false, "") { Location = response.Headers.Location?.OriginalString };
    }

    private RedfishReply Failed(string call, string problem, bool timedOut)
    {
        string scrubbed = Redactor.Scrub(problem);
        Log.RedfishCallFailed(_logger, _target, call, scrubbed);
        return new RedfishReply(null, default, scrubbed, timedOut, "");
    }

    /// <summary>The cause a person can act on, from the exception chain HttpClient throws.</summary>
    private string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case AuthenticationException tls:
                    return _policy.Refusal is { } refusal ? $"TLS: {refusal}" : $"TLS handshake failed: {tls.Message}";
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.ConnectionReset => "connection reset",
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "cannot resolve the BMC's name",
                        SocketError.NetworkUnreachable => "network unreachable",
                        SocketError.HostUnreachable => "host unreachable",
                        _ => socket.Message,
                    };
            }
        }

        return e.HttpRequestError switch
        {
            HttpRequestError.ResponseEnded => "the BMC closed the connection without answering",
            HttpRequestError.ConfigurationLimitExceeded => $"the answer exceeds {MaxBodyBytes / 1024} KiB",
            _ => e.InnerException?.Message ?? e.Message,
        };
    }

    private static JsonElement Parse(string body)
    {
        if (body.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The Redfish error message: the first extended info message, else error.message.</summary>
    private static string? ErrorMessage(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("error", out JsonElement error) || error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (error.TryGetProperty("@Message.ExtendedInfo", out JsonElement infos) && infos.ValueKind == JsonValueKind.Array)
        {
            foreach (JsonElement info in infos.EnumerateArray())
            {
                if (info.ValueKind == JsonValueKind.Object && info.TryGetProperty("Message", out JsonElement message) && message.ValueKind == JsonValueKind.String)
                {
                    return message.GetString();
                }
            }
        }

        return error.TryGetProperty("message", out JsonElement text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
    }

    private static string Clip(string text)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return line.Length <= DetailChars ? line : line[..DetailChars] + "...";
    }
}
