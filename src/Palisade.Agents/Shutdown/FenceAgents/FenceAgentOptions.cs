using System.Collections.Immutable;
using System.Globalization;
using System.Text;

namespace Palisade.Agents;

/// <summary>
/// The key=value lines a fence agent reads on stdin, checked against its metadata: the plug naming the target,
/// the operator's pass-through options, and the password read from <c>password_file</c>.
/// </summary>
internal sealed class FenceAgentOptions
{
    /// <summary>Options that make an agent print something and exit 0 without acting: a "successful" reboot that never happened.</summary>
    private static readonly string[] Refused = ["help", "usage", "version"];

    /// <summary>
    /// The fence-virt clients read a stdin value only up to its first blank: given <c>plug=web vm</c>, fence_virt
    /// switched off the domain <c>web</c>. The fencing.py agents keep the whole line.
    /// </summary>
    private static readonly string[] FirstWordOnly = ["fence_virt", "fence_xvm"];

    private readonly ImmutableArray<KeyValuePair<string, string>> _lines;

    private FenceAgentOptions(ImmutableArray<KeyValuePair<string, string>> lines, string? plug, string? plugSent, Redactor redactor)
    {
        _lines = lines;
        Plug = plug;
        PlugSent = plugSent;
        Redactor = redactor;
    }

    /// <summary>What Palisade tells the agent the target is called (<c>plug</c> or the node's name), when it takes a plug.</summary>
    public string? Plug { get; }

    /// <summary>
    /// The plug the agent gets, whoever set it: <see cref="Plug"/>, or the operator's own <c>port</c> on an agent
    /// whose port names the target (not a <c>port_as_ip</c> agent, whose port is the device's address).
    /// </summary>
    public string? PlugSent { get; }

    /// <summary>Hides the values of secret options given inline (password, secret_key, ...).</summary>
    public Redactor Redactor { get; }

    /// <summary>Checks the configured options against the metadata; every problem is listed, no secret value in any.</summary>
    public static (FenceAgentOptions? Options, IReadOnlyList<string> Problems) Check(
        string agent, FenceAgentMetadata metadata, AgentParameters parameters, string targetName)
    {
        var problems = new List<string>();
        ImmutableSortedDictionary<string, string> passThrough = parameters.PassThrough;
        foreach ((string name, string value) in passThrough)
        {
            if (CheckOption(agent, metadata, parameters, name, value) is { } problem)
            {
                problems.Add(problem);
            }
        }

        (KeyValuePair<string, string>? plug, string? plugProblem) = PlugLine(agent, metadata, parameters, targetName);
        if (plugProblem is not null)
        {
            problems.Add(plugProblem);
        }

        problems.AddRange(PasswordProblems(agent, metadata, parameters));
        // A plug refused above was still given: it is not missing as well.
        string? plugKey = plug?.Key ?? (plugProblem is null ? null : metadata.Takes("plug") ? "plug" : "port");
        problems.AddRange(MissingRequired(agent, metadata, parameters, plugKey));
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var lines = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        if (plug is { } p)
        {
            lines.Add(p);
        }

        lines.AddRange(passThrough);
        var redactor = new Redactor(passThrough.Where(o => parameters.Spec.IsSecret(o.Key)).Select(o => o.Value));
        string? plugSent = plug?.Value ?? (metadata.Takes("port_as_ip") ? null : passThrough.GetValueOrDefault("port"));
        return (new FenceAgentOptions(lines.ToImmutable(), plug?.Value, plugSent, redactor), []);
    }

    /// <summary>The value of an option sent to the agent (the operator's <c>separator</c>, say), or null when none is.</summary>
    public string? Value(string name) => _lines.Where(l => l.Key == name).Select(l => l.Value).FirstOrDefault();

    /// <summary>The agent's stdin for <paramref name="action"/>; the password from password_file goes last.</summary>
    public string Stdin(string action, string? password)
    {
        var text = new StringBuilder();
        text.Append("action=").Append(action).Append('\n');
        foreach ((string name, string value) in _lines)
        {
            text.Append(name).Append('=').Append(value).Append('\n');
        }

        if (password is not null)
        {
            text.Append("password=").Append(password).Append('\n');
        }

        return text.ToString();
    }

    private static string? CheckOption(string agent, FenceAgentMetadata metadata, AgentParameters parameters, string name, string value)
    {
        if (!metadata.Takes(name))
        {
            string hint = NearNames.Hint(name, metadata.Parameters.Keys);
            return $"{agent} has no option '{name}' ({(hint.Length > 0 ? hint : $"its options: {agent} -o metadata")})";
        }

        if (Refused.Contains(name))
        {
            return $"option '{name}' is not allowed: it makes {agent} print and exit instead of acting";
        }

        if (IsMultiLine(value))
        {
            // A line break would let a value add lines of its own (another action=, say) to the agent's stdin.
            return $"option '{name}' must be on one line";
        }

        if (FirstWordProblem(metadata, $"option '{name}'", value) is { } cut)
        {
            return cut;
        }

        FenceAgentParameter declared = metadata.Parameters[name];
        string shown = parameters.Spec.IsSecret(name) ? "(secret)" : $"'{value}'";
        if (declared.ContentType == "select" && declared.Choices.Length > 0 && !declared.Choices.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            return $"option '{name}' of {agent} must be one of {string.Join(", ", declared.Choices)}, got {shown}";
        }

        return declared.ContentType == "integer" && !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)
            ? $"option '{name}' of {agent} must be an integer, got {shown}"
            : null;
    }

    /// <summary>
    /// The plug line: the configured <c>plug</c>, else the target's name, under whichever of plug/port the agent
    /// declares. None when the operator set the agent's own <c>port</c>, or when the agent's plug names the
    /// fencing device rather than the node (agents with <c>port_as_ip</c>, such as fence_ipmilan).
    /// </summary>
    private static (KeyValuePair<string, string>? Line, string? Problem) PlugLine(
        string agent, FenceAgentMetadata metadata, AgentParameters parameters, string targetName)
    {
        string? key = metadata.Takes("plug") ? "plug" : metadata.Takes("port") ? "port" : null;
        bool portGiven = parameters.PassThrough.ContainsKey("port");
        if (parameters.Get("plug") is { } plug)
        {
            return key is null ? (null, $"{agent} takes no plug (it has neither a plug nor a port option)")
                : IsMultiLine(plug) ? (null, "parameter 'plug' must be on one line")
                : FirstWordProblem(metadata, "parameter 'plug'", plug) is { } cut ? (null, cut)
                : portGiven ? (null, "give at most one of 'plug' and 'port'")
                : (new(key, plug), null);
        }

        return key is null || portGiven || metadata.Takes("port_as_ip") ? (null, null) : (new(key, targetName), null);
    }

    private static bool IsMultiLine(string value) => value.AsSpan().IndexOfAny('\n', '\r') >= 0;

    /// <summary>A value with a blank, for an agent that would act on its first word only (another VM, for a plug).</summary>
    private static string? FirstWordProblem(FenceAgentMetadata metadata, string what, string value) =>
        FirstWordOnly.Contains(metadata.Agent) && value.Any(char.IsWhiteSpace)
            ? $"{what} must not contain blanks: {metadata.Agent} reads a value only up to its first blank"
            : null;

    private static IEnumerable<string> PasswordProblems(string agent, FenceAgentMetadata metadata, AgentParameters parameters)
    {
        if (!parameters.Has("password_file"))
        {
            yield break;
        }

        if (!metadata.Takes("password"))
        {
            yield return $"{agent} takes no password, so password_file cannot be used";
        }

        foreach (string other in metadata.SameAs("password").Where(n => n != "password" && parameters.PassThrough.ContainsKey(n)))
        {
            yield return $"give at most one of 'password_file' and '{other}'";
        }
    }

    /// <summary>Parameters the metadata marks required that nobody gives: neither the operator nor Palisade.</summary>
    private static IEnumerable<string> MissingRequired(string agent, FenceAgentMetadata metadata, AgentParameters parameters, string? plugKey)
    {
        var given = new HashSet<string>(parameters.PassThrough.Keys, StringComparer.Ordinal) { "action" };
        if (plugKey is not null)
        {
            given.Add(plugKey);
        }

        if (parameters.Has("password_file"))
        {
            given.Add("password");
        }

        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (FenceAgentParameter parameter in metadata.Parameters.Values.Where(p => p.Required).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            // A legacy name and its successor are one parameter: giving either satisfies both.
            ImmutableSortedSet<string> names = metadata.SameAs(parameter.Name);
            if (names.Any(given.Contains))
            {
                continue;
            }

            FenceAgentParameter current = names.Select(n => metadata.Parameters.GetValueOrDefault(n)).OfType<FenceAgentParameter>()
                .FirstOrDefault(p => !p.Deprecated) ?? parameter;
            if (reported.Add(current.Name))
            {
                yield return AgentText.WithDetail($"{agent} needs option '{current.Name}'", current.Description);
            }
        }
    }
}
