using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Logins;

/// <summary>The outcome of a login: a session token and its role, or an HTTP status and why (never the password).</summary>
internal sealed record LoginResult(string? Token, ApiRole? Role, DateTimeOffset? Expires, int Status, string Message, string LogReason);

/// <summary>
/// Logins of Unix users for the web view (<c>api: logins:</c>): the password is checked by PAM, the role comes from the
/// user's Unix groups, and a login gives a random session token that ends after the configured time (or on logout).
/// Sessions live in this palisaded only. Thread-safe.
/// </summary>
internal sealed partial class WebLogins(ApiLogins config, TimeProvider time, Func<string, string, string, (bool Ok, string Why)>? check = null,
    Func<string, Task<IReadOnlyList<string>?>>? groupsOf = null)
{
    public const int MaxSessions = 10_000;
    private readonly ConcurrentDictionary<string, (ApiToken Token, DateTimeOffset Expires)> _sessions = new(StringComparer.Ordinal);
    private readonly Func<string, string, string, (bool Ok, string Why)> _check = check ?? Pam.Check;
    private readonly Func<string, Task<IReadOnlyList<string>?>> _groupsOf = groupsOf ?? UnixGroupsAsync;

    public async Task<LoginResult> LoginAsync(string? user, string? password)
    {
        if (user is null || !UserName().IsMatch(user) || string.IsNullOrEmpty(password) || password.Length > 1024)
        {
            return new LoginResult(null, null, null, 400, "give a user name and a password", "no valid user name or password given");
        }

        var (ok, why) = await Task.Run(() => _check(config.Service, user, password)).ConfigureAwait(false);
        if (!ok)
        {
            return new LoginResult(null, null, null, 401, "the user name or password was not accepted", why);
        }

        var role = await _groupsOf(user).ConfigureAwait(false) is { } groups ? config.RoleOf([.. groups]) : null;
        if (role is null)
        {
            var named = string.Join(", ", new[] { config.View, config.Operate, config.Admin }.OfType<string>());
            return new LoginResult(null, null, null, 403, $"{user} is in none of the groups that may log in ({named})", "in none of the login groups");
        }

        Prune();
        if (_sessions.Count >= MaxSessions)
        {
            return new LoginResult(null, null, null, 503, "too many open sessions on this node; try again later", "too many sessions");
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var expires = time.GetUtcNow() + config.Session;
        _sessions[token] = (new ApiToken { Name = $"user {user}", Role = role.Value, TokenFile = "" }, expires);
        return new LoginResult(token, role, expires, 200, $"logged in as {user} with role {role.Value.ToString().ToLowerInvariant()}", "accepted");
    }

    /// <summary>The session a bearer token opened, while it lasts.</summary>
    public ApiToken? Find(ReadOnlySpan<byte> presented)
    {
        if (presented.IsEmpty || presented.Length > 64)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(presented);
        return _sessions.TryGetValue(text, out var session) && session.Expires > time.GetUtcNow() ? session.Token : null;
    }

    public bool Logout(string token) => _sessions.TryRemove(token, out _);

    private void Prune()
    {
        var now = time.GetUtcNow();
        foreach (var (token, session) in _sessions)
        {
            if (session.Expires <= now)
            {
                _sessions.TryRemove(token, out _);
            }
        }
    }

    /// <summary>The user's Unix groups as the system's name service knows them (<c>id -Gn</c>); null when unknown.</summary>
    private static async Task<IReadOnlyList<string>?> UnixGroupsAsync(string user)
    {
        var start = new ProcessStartInfo("id", ["-Gn", "--", user]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start);
        if (process is null)
        {
            return null;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token).ConfigureAwait(false);
        await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        return process.ExitCode == 0 ? output.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : null;
    }

    [GeneratedRegex("^[a-z_][a-z0-9_.-]{0,31}$")]
    private static partial Regex UserName();
}
