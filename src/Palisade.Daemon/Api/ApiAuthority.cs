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

    public ApiAuthority(ApiConfig config, TimeProvider time, out IReadOnlyList<string> problems)
    {
        _failures = new FailedAttempts(time);
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
