using System.Globalization;
using System.Text;
using Palisade.Core.Configuration;

namespace Palisade.Agents;

/// <summary>Turns process output into the short, secret-free texts an <see cref="AgentResult"/> carries.</summary>
internal static class AgentText
{
    /// <summary>Enough output to diagnose a failure in status and logs without flooding them.</summary>
    internal const int ExcerptChars = 2048;

    private const int ReasonLineChars = 240;

    /// <summary>"20s", "1.5s", "250ms": short and exact enough for a reason line.</summary>
    public static string Span(TimeSpan span) =>
        span >= TimeSpan.FromSeconds(1)
            ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + "s"
            : span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + "ms";

    /// <summary>The tails of stdout and stderr, labelled, within <see cref="ExcerptChars"/>.</summary>
    public static string Excerpt(ProcessResult result, Redactor redactor)
    {
        string stdout = Tail(result.StandardOutput.Trim(), ExcerptChars / 2);
        string stderr = Tail(result.StandardError.Trim(), ExcerptChars / 2);
        var text = new StringBuilder();
        if (stdout.Length > 0)
        {
            text.Append("stdout: ").Append(stdout);
        }

        if (stderr.Length > 0)
        {
            text.Append(text.Length > 0 ? "\n" : "").Append("stderr: ").Append(stderr);
        }

        return redactor.Scrub(text.ToString());
    }

    /// <summary>The first non-blank line of stderr, else of stdout, else empty.</summary>
    public static string FirstLine(ProcessResult result) =>
        FirstNonBlankLine(result.StandardError) ?? FirstNonBlankLine(result.StandardOutput) ?? "";

    /// <summary>The first line starting with <paramref name="prefix"/>, without the prefix, or null.</summary>
    public static string? LineWithPrefix(string text, string prefix)
    {
        foreach (string line in Lines(text))
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return Clip(line[prefix.Length..].Trim());
            }
        }

        return null;
    }

    /// <summary>Appends ": detail" when there is a detail.</summary>
    public static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";

    private static string? FirstNonBlankLine(string text)
    {
        foreach (string line in Lines(text))
        {
            if (line.Trim().Length > 0)
            {
                return Clip(line.Trim());
            }
        }

        return null;
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));

    internal static string Clip(string line) => line.Length <= ReasonLineChars ? line : line[..ReasonLineChars] + "...";

    private static string Tail(string text, int chars) => text.Length <= chars ? text : "..." + text[^chars..];
}

/// <summary>Replaces known secret values wherever they might surface: reasons, excerpts, log lines.</summary>
internal sealed class Redactor
{
    public static readonly Redactor None = new([]);

    private readonly string[] _secrets;

    public Redactor(IEnumerable<string> secrets)
    {
        // Longest first so a secret containing another is replaced whole.
        _secrets = secrets.Where(s => s.Length > 0).Distinct().OrderByDescending(s => s.Length).ToArray();
    }

    /// <summary>A redactor for the parameters whose names mark them as secret.</summary>
    public static Redactor ForParameters(IReadOnlyDictionary<string, string> parameters) =>
        new(parameters.Where(p => SecretNames.IsSecret(p.Key)).Select(p => p.Value));

    public Redactor With(string secret) => new(_secrets.Append(secret));

    public string Scrub(string text)
    {
        foreach (string secret in _secrets)
        {
            text = text.Replace(secret, SecretNames.Redacted, StringComparison.Ordinal);
        }

        return text;
    }
}
