using System.Collections.Immutable;
using System.Text;

namespace Palisade.Core.Messages;

/// <summary>How bad a message from a node's hardware or management layer is.</summary>
public enum NoticeSeverity
{
    Error,
    Warning,

    /// <summary>What an earlier error reported is over.</summary>
    Clear,
}

/// <summary>
/// A message from the hardware or management layer of a node (a driver, the BMC, a script): the category and the
/// device it is about, how bad, and which node it concerns. The receiving node journals it, then publishes it as an
/// <see cref="ExternalEvent"/>.
/// </summary>
/// <param name="Id">Chosen by the sender: the same id again is the same message (not applied twice).</param>
public sealed record ExternalNotice(string Category, string? Keyword, NoticeSeverity Severity, string Text, string Source, string? Node, string Id);

/// <summary>A message accepted and journaled by <see cref="NodeMessage.From"/>, for the cluster's external monitors.</summary>
/// <param name="Node">The node the message concerns.</param>
public sealed record ExternalEvent(string Node, string Category, string? Keyword, NoticeSeverity Severity, string Text, string Source, string Id) : NodeMessage
{
    /// <summary>Repeats of this message (same device and severity) the receiving node held back since its last one.</summary>
    public int Repeats { get; init; }
}

/// <summary>One accepted message as a node's journal keeps it (one JSON line): when it arrived, which node received it.</summary>
public sealed record JournalEntry(DateTimeOffset Received, string ReceivedBy, ExternalNotice Notice)
{
    /// <summary>Held back as a repeat of the device's last message (counted, published later with the count).</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Held { get; init; }

    /// <summary>Repeats held before this one and published with it.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public int Repeats { get; init; }

    /// <summary>The journal's JSON: camelCase names, severities as words.</summary>
    public static readonly System.Text.Json.JsonSerializerOptions Json = new(System.Text.Json.JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter<NoticeSeverity>(System.Text.Json.JsonNamingPolicy.CamelCase) },
        TypeInfoResolver = Palisade.Core.Json.JsonTypes.Resolver(Palisade.Core.Json.WireJsonContext.Default),
    };
}

/// <summary>The rules a message must meet before it is accepted: sizes, categories, UTF-8, a known node.</summary>
public static class ExternalNoticeRules
{
    public const int MaxCategoryBytes = 32;
    public const int MaxKeywordBytes = 1023;
    public const int MaxTextBytes = 4096;
    public const int MaxSourceBytes = 256;
    public const int MaxIdBytes = 128;

    /// <summary>The categories every cluster knows (CLUSTERPRO's external-link categories); a cluster file may add more.</summary>
    public static readonly ImmutableArray<string> BuiltInCategories = ["NIC", "FC", "HA/SS", "HA/AM", "HA/RS", "SPS", NodeCategory];

    /// <summary>
    /// The node a message concerns is down (keyword <c>power-off</c>, <c>os-crash</c> or <c>kdump</c>): the cluster
    /// checks it through the node's own agents at once and, when they confirm, recovers its groups without waiting
    /// for corosync.
    /// </summary>
    public const string NodeCategory = "NODE";

    /// <summary>The keywords of <see cref="NodeCategory"/> that report the node down.</summary>
    public static readonly ImmutableArray<string> NodeDownKeywords = ["power-off", "os-crash", "kdump"];

    /// <summary>Why <paramref name="notice"/> is refused, or null when it is acceptable.</summary>
    public static string? Problem(ExternalNotice notice, IReadOnlyCollection<string> categories, IReadOnlyCollection<string> nodes)
    {
        ArgumentNullException.ThrowIfNull(notice);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(nodes);
        return Field("category", notice.Category, MaxCategoryBytes, required: true)
            ?? (categories.Contains(notice.Category) ? null : $"category '{Printable(notice.Category)}' is not known (known: {string.Join(", ", categories)})")
            ?? Field("keyword", notice.Keyword, MaxKeywordBytes, required: false)
            ?? (Enum.IsDefined(notice.Severity) ? null : "severity must be error, warning or clear")
            ?? Field("text", notice.Text, MaxTextBytes, required: false)
            ?? Field("source", notice.Source, MaxSourceBytes, required: true)
            ?? Field("id", notice.Id, MaxIdBytes, required: true)
            ?? (notice.Node is null || nodes.Contains(notice.Node) ? null : $"node '{Printable(notice.Node)}' is not a node of this cluster (nodes: {string.Join(", ", nodes)})");
    }

    private static string? Field(string name, string? value, int maxBytes, bool required)
    {
        if (string.IsNullOrEmpty(value))
        {
            return required ? $"{name} is required" : null;
        }

        if (!IsWellFormed(value))
        {
            return $"{name} is not valid UTF-8 text";
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        if (bytes > maxBytes)
        {
            return $"{name} is {bytes} bytes long (at most {maxBytes})";
        }

        return value.Any(c => char.IsControl(c) && c != '\t') ? $"{name} contains control characters" : null;
    }

    /// <summary>No lone surrogates: text that came from invalid UTF-8 was replaced, and the reader refuses it earlier.</summary>
    private static bool IsWellFormed(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsHighSurrogate(value[i]) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(value[i]) || value[i] == '\uFFFD')
            {
                return false;
            }
        }

        return true;
    }

    private static string Printable(string value) => value.Length > 40 ? value[..40] + "..." : value;
}
