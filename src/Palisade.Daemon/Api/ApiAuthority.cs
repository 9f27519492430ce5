using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Palisade.Core.Configuration;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon.Api;

/// <summary>Who called, or why the call is turned away (status and reason).</summary>
internal readonly record struct ApiCaller(ApiToken? Token, int Status, string? Denied);

/// <summary>
/// The API's bearer tokens, read once from their root-only files, each with a role; failed attempts from one address
/// are limited. Never logs or returns a token.
/// </summary>
internal sealed class ApiAuthority
{
    private readonly List<(ApiToken Token, byte[] Secret)> _tokens = [];
    private readonly FailedAttempts _failures;

    public ApiAuthority(ApiConfig config, TimeProvider time, out IReadOnlyList<string> problems, Logins.WebLogins? logins = null)
    {
        _failures = new FailedAttempts(time);
        Logins = logins ?? (config.Logins is { } l ? new Logins.WebLogins(l, time) : null);
        var found = new List<string>();
        foreach (var token in config.Tokens)
        {
            var (secret, problem) = SenderAuthority.ReadToken(token.TokenFile);
            if (secret is null)
            {
                found.Add($"token {token.Name}: {problem}; it cannot be used");
                continue;
            }

            _tokens.Add((token, secret));
        }

        problems = found;
    }

    public int Usable => _tokens.Count;

    /// <summary>PAM logins for the web view, when <c>logins:</c> is configured.</summary>
    public Logins.WebLogins? Logins { get; }

    /// <summary>
    /// <c>POST /api/v1/login</c> with <c>{"user": ..., "password": ...}</c>: a session token with the user's role, or a
    /// problem detail. A refused login counts as a failed attempt of its address; the password is never logged.
    /// </summary>
    public async Task LoginAsync(HttpContext context, ILogger log)
    {
        var remote = context.Connection.RemoteIpAddress ?? IPAddress.None;
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (Logins is null)
        {
            await IntakeServer.Problem(context, 404, "logins are not configured on this cluster (api: logins:); use a bearer token");
            return;
        }

        if (_failures.TooMany(remote))
        {
            Log.ApiLogin(log, "?", remote.ToString(), "refused: too many failed attempts");
            await IntakeServer.Problem(context, 429, $"more than {FailedAttempts.PerWindow} failed attempts from {remote} in the last minute: try again later");
            return;
        }

        LoginRequest? request = null;
        try
        {
            request = await System.Text.Json.JsonSerializer.DeserializeAsync(context.Request.Body, Core.Json.JsonTypes.Info<LoginRequest>(LoginJson), context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            // answered below as a bad request
        }

        var result = await Logins.LoginAsync(request?.User, request?.Password);
        Log.ApiLogin(log, request?.User is { Length: <= 64 } u ? u : "?", remote.ToString(), result.LogReason);
        if (result.Token is null)
        {
            if (result.Status is 401 or 403)
            {
                _failures.Record(remote);
            }

            await IntakeServer.Problem(context, result.Status, result.Message);
            return;
        }

        await ApiViews.WriteAsync(context, new System.Text.Json.Nodes.JsonObject
        {
            ["token"] = result.Token,
            ["role"] = result.Role!.Value.ToString().ToLowerInvariant(),
            ["expires"] = result.Expires,
            ["message"] = result.Message,
        });
    }

    private static readonly System.Text.Json.JsonSerializerOptions LoginJson = new(System.Text.Json.JsonSerializerDefaults.Web) { TypeInfoResolver = DaemonJsonContext.Default };

    /// <summary>The body of <c>POST /api/v1/login</c>.</summary>
    internal sealed record LoginRequest(string? User, string? Password);

    /// <summary>
    /// The token of the request's caller when it may do what needs <paramref name="needed"/>; else null, once the
    /// refusal is logged and answered (a problem detail).
    /// </summary>
    public async Task<ApiToken?> AdmitAsync(HttpContext context, ApiRole needed, ILogger log)
    {
        var caller = Check(context.Connection.RemoteIpAddress, context.Request.Headers.Authorization.FirstOrDefault(), needed);
        if (caller.Token is null)
        {
            Log.ApiDenied(log, context.Connection.RemoteIpAddress?.ToString() ?? "?", context.Request.Path, caller.Denied!);
            await IntakeServer.Problem(context, caller.Status, caller.Denied!);
        }

        return caller.Token;
    }

    public ApiCaller Check(IPAddress? remote, string? authorization, ApiRole needed)
    {
        remote ??= IPAddress.None;
        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        if (_failures.TooMany(remote))
        {
            return new ApiCaller(null, 429, $"more than {FailedAttempts.PerWindow} failed attempts from {remote} in the last minute: try again later");
        }

        var presented = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())
            : [];
        var match = _tokens.FirstOrDefault(t => CryptographicOperations.FixedTimeEquals(t.Secret, presented));
        if (match.Token is null && Logins?.Find(presented) is { } session)
        {
            match = (session, []);
        }

        if (match.Token is null)
        {
            _failures.Record(remote);
            return new ApiCaller(null, 401, presented.Length == 0 ? "a bearer token is required (Authorization: Bearer ...)" : "the bearer token is not one of this cluster's API tokens");
        }

        return match.Token.Role >= needed
            ? new ApiCaller(match.Token, 200, null)
            : new ApiCaller(null, 403, $"token {match.Token.Name} has role {match.Token.Role.ToString().ToLowerInvariant()}; this needs {needed.ToString().ToLowerInvariant()}");
    }
}
