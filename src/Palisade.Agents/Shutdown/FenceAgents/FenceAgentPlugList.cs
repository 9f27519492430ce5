using System.Collections.Immutable;
using System.Text.RegularExpressions;

namespace Palisade.Agents;

/// <summary>One line of an agent's list: the plug, and the other name the agent gives it (alias, UUID), often empty.</summary>
internal sealed record FenceAgentPlug(string Plug, string Alias);

/// <summary>
/// What an agent's <c>action=list</c> printed. The fencing.py agents print <c>plug&lt;separator&gt;alias</c> per
/// line (separator <c>,</c> unless the operator sets <c>separator</c>; the alias may be empty); fence_virt and
/// fence_xvm print columns: the domain name padded to 32, its UUID, its state.
/// </summary>
internal sealed partial class FenceAgentPlugList
{
    /// <summary>More than this many names would drown the reason line.</summary>
    private const int ShownNames = 10;

    private FenceAgentPlugList(ImmutableArray<FenceAgentPlug> plugs, string? cannotList)
    {
        Plugs = plugs;
        CannotList = cannotList;
    }

    public ImmutableArray<FenceAgentPlug> Plugs { get; }

    /// <summary>
    /// What the agent printed instead of a list, when it declares a list action that it cannot run: fencing.py
    /// prints a NOTICE (fence_crosslink, fence_raritan, ...), or N/A for a device without plugs, and exits 0.
    /// Such a list tells nothing about any plug. Null for a real list.
    /// </summary>
    public string? CannotList { get; }

    /// <param name="output">The list run's stdout.</param>
    /// <param name="separator">What separates plug from alias on a line.</param>
    /// <param name="columns">The agent is fence_virt-like: try its column layout before the separator.</param>
    public static FenceAgentPlugList Parse(string output, string separator, bool columns)
    {
        string[] lines = [.. output.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
        string? cannotList = lines is ["N/A"] ? "N/A" : lines.FirstOrDefault(l => l.StartsWith("NOTICE:", StringComparison.Ordinal));
        if (cannotList is not null)
        {
            return new FenceAgentPlugList([], AgentText.Clip(cannotList));
        }

        return new FenceAgentPlugList([.. lines.Select(l => ParseLine(l, separator, columns))], null);
    }

    /// <summary>
    /// Whether the agent knows <paramref name="plug"/>: as a plug, or under its alias. The alias counts because
    /// some agents take either (fence_virt a domain's name or UUID; fence_gce lists id,name and is given the name).
    /// </summary>
    public bool Knows(string plug) => Plugs.Any(p => p.Plug == plug || (p.Alias.Length > 0 && p.Alias == plug));

    /// <summary>
    /// What follows "it" in a reason: "lists: test", "lists: a, b, c", or, for a long list, the names nearest to
    /// <paramref name="wanted"/> first and the rest counted: "lists: web1, web2, db1, ... and 40 more";
    /// "lists no plugs" for an empty list.
    /// </summary>
    public string Describe(string wanted)
    {
        string[] names = [.. Plugs.Select(p => p.Plug).Distinct(StringComparer.Ordinal)];
        if (names.Length == 0)
        {
            return "lists no plugs";
        }

        if (names.Length <= ShownNames)
        {
            return "lists: " + string.Join(", ", names.Select(AgentText.Clip));
        }

        IReadOnlyList<string> near = NearNames.Of(wanted, Plugs.SelectMany(p => new[] { p.Plug, p.Alias }).Where(n => n.Length > 0));
        string[] shown = [.. near.Concat(names).Distinct(StringComparer.Ordinal).Take(ShownNames)];
        return $"lists: {string.Join(", ", shown.Select(AgentText.Clip))}, ... and {names.Length - shown.Length} more";
    }

    private static FenceAgentPlug ParseLine(string line, string separator, bool columns)
    {
        if (columns && VirtColumns().Match(line) is { Success: true } match)
        {
            return new FenceAgentPlug(match.Groups["name"].Value.Trim(), match.Groups["uuid"].Value);
        }

        int at = line.IndexOf(separator, StringComparison.Ordinal);
        return at < 0
            ? new FenceAgentPlug(line, "")
            : new FenceAgentPlug(line[..at].Trim(), line[(at + separator.Length)..].Trim());
    }

    /// <summary>fence_virt's <c>%-32s %s %s</c>: name (padded, may hold blanks), UUID, state.</summary>
    [GeneratedRegex(@"^(?<name>.+?)\s+(?<uuid>[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12})\s+\S+$")]
    private static partial Regex VirtColumns();
}
