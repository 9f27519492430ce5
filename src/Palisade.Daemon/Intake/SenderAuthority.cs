using System.Net;
using System.Security.Cryptography;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Daemon.Intake;

/// <summary>Why a request to the intake was turned away, or who sent it.</summary>
internal readonly record struct SenderCheck(IntakeSender? Sender, int Status, string? Denied);

/// <summary>
/// Decides who a remote request comes from: its address must be in a sender's allow list and its bearer token must be
/// that sender's. Tokens are read once from their root-only files; failed attempts from one address are limited.
/// Never logs or returns a token.
/// </summary>
internal sealed class SenderAuthority
{
    public const int MinTokenLength = 16;

    private readonly List<(IntakeSender Sender, byte[] Token, IPNetwork[] Networks)> _senders = [];
    private readonly FailedAttempts _failures;

    /// <param name="problems">Senders left out, and why (a missing, short or readable-by-others token file).</param>
    public SenderAuthority(IntakeConfig config, TimeProvider time, out IReadOnlyList<string> problems)
    {
        _failures = new FailedAttempts(time);
        var found = new List<string>();
        foreach (var sender in config.Senders)
        {
            var (token, problem) = ReadToken(sender.TokenFile);
            if (token is null)
            {
                found.Add($"sender {sender.Name}: {problem}; it cannot send");
                continue;
            }

            var networks = sender.Allow.Select(a => IPNetwork.Parse(a)).ToArray();
            _senders.Add((sender, token, networks));
        }

        problems = found;
    }

    public int Usable => _senders.Count;

    public SenderCheck Check(IPAddress? remote, string? authorization, IntakeAction action)
    {
        if (remote is null)
        {
            return new SenderCheck(null, 403, "no remote address");
        }

        remote = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        var allowed = _senders.Where(s => s.Networks.Any(n => n.Contains(remote))).ToList();
        if (allowed.Count == 0)
        {
            return new SenderCheck(null, 403, $"notification from external (IP={remote}) was denied: the address is in no sender's allow list");
        }

        if (_failures.TooMany(remote))
        {
            return new SenderCheck(null, 429, $"notification from external (IP={remote}) was denied: more than {FailedAttempts.PerWindow} failed attempts in the last minute");
        }

        var presented = authorization is not null && authorization.StartsWith("Bearer ", StringComparison.Ordinal)
            ? Encoding.UTF8.GetBytes(authorization["Bearer ".Length..].Trim())
            : [];
        var match = allowed.FirstOrDefault(s => CryptographicOperations.FixedTimeEquals(s.Token, presented));
        if (match.Sender is null)
        {
            _failures.Record(remote);
            return new SenderCheck(null, 401, $"notification from external (IP={remote}) was denied: {(presented.Length == 0 ? "no bearer token" : "the bearer token is not that of a sender allowed from this address")}");
        }

        return match.Sender.Actions.Contains(action)
            ? new SenderCheck(match.Sender, 200, null)
            : new SenderCheck(null, 403, $"request from sender {match.Sender.Name} (IP={remote}) was denied: it may not ask for {action.ToString().ToLowerInvariant()} (it may: {string.Join(", ", match.Sender.Actions).ToLowerInvariant()})");
    }

    /// <summary>The token in <paramref name="path"/> (trimmed), or why it cannot be used.</summary>
    public static (byte[]? Token, string? Problem) ReadToken(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                return (null, $"{path} is readable or writable by others than its owner (make it mode 600)");
            }

            var token = File.ReadAllText(path).Trim();
            if (token.Length < MinTokenLength || token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
            {
                return (null, $"{path} holds no usable token (at least {MinTokenLength} characters without spaces)");
            }

            return (Encoding.UTF8.GetBytes(token), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{path} cannot be read: {e.Message}");
        }
    }
}
