namespace Palisade.Agents;

/// <summary>Finds the option names a mistyped one was probably meant to be.</summary>
internal static class NearNames
{
    private const int MaxSuggestions = 3;

    /// <summary>
    /// Up to three candidates closest to <paramref name="word"/>, nearest first. Case, and '-' against '_', do not
    /// count as differences: fence agents accept both spellings of many options.
    /// </summary>
    public static IReadOnlyList<string> Of(string word, IEnumerable<string> candidates)
    {
        string wanted = Fold(word);

        // Allowing more edits than a third of the word suggests names that merely share a few letters.
        int limit = Math.Clamp(wanted.Length / 3, 1, 3);
        return candidates
            .Distinct(StringComparer.Ordinal)
            .Select(c => (Name: c, Distance: Distance(wanted, Fold(c))))
            .Where(c => c.Distance <= limit)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Take(MaxSuggestions)
            .Select(c => c.Name)
            .ToList();
    }

    /// <summary>"did you mean 'a' or 'b'?", or empty when nothing is close.</summary>
    public static string Hint(string word, IEnumerable<string> candidates)
    {
        IReadOnlyList<string> near = Of(word, candidates);
        return near.Count == 0 ? "" : $"did you mean {string.Join(" or ", near.Select(n => $"'{n}'"))}?";
    }

    private static string Fold(string name) => name.ToLowerInvariant().Replace('-', '_');

    /// <summary>Edits (insert, delete, replace, swap of neighbours) that turn one word into the other.</summary>
    private static int Distance(string a, string b)
    {
        // Three rolling rows: the swap of neighbours looks two rows back.
        var before = new int[b.Length + 1];
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (int j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
            {
                int replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                int best = Math.Min(replace, Math.Min(previous[j] + 1, current[j - 1] + 1));
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    best = Math.Min(best, before[j - 2] + 1);
                }

                current[j] = best;
            }

            (before, previous, current) = (previous, current, before);
        }

        return previous[b.Length];
    }
}
