using System.Text;

namespace Palisade.Signals;

/// <summary>
/// Makes matched text acceptable in an external message (see <c>ExternalNoticeRules</c>): control characters become
/// spaces, characters that stand for undecodable bytes become '?', and the text is cut to its byte limit.
/// </summary>
internal static class NoticeText
{
    private const string Ellipsis = "...";

    public static string Fit(string text, int maxBytes)
    {
        var clean = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[++i]);
            }
            else
            {
                clean.Append(c switch
                {
                    '\t' => c,
                    _ when char.IsControl(c) => ' ',
                    _ when char.IsSurrogate(c) || c == '\uFFFD' => '?',
                    _ => c,
                });
            }
        }

        var result = clean.ToString();
        return Encoding.UTF8.GetByteCount(result) <= maxBytes ? result : Cut(result, maxBytes - Ellipsis.Length) + Ellipsis;
    }

    /// <summary>The longest start of <paramref name="text"/> within <paramref name="budget"/> bytes, never half a surrogate pair.</summary>
    private static string Cut(string text, int budget)
    {
        var used = 0;
        var end = 0;
        while (end < text.Length)
        {
            var width = char.IsHighSurrogate(text[end]) ? 2 : 1;
            var bytes = Encoding.UTF8.GetByteCount(text.AsSpan(end, width));
            if (used + bytes > budget)
            {
                break;
            }

            used += bytes;
            end += width;
        }

        return text[..end];
    }
}
