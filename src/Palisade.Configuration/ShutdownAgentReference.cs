using System.Text;
using Palisade.Core.Shutdown;

namespace Palisade.Configuration;

/// <summary>
/// The reference of every shutdown agent type, written from the declarations in <see cref="ShutdownAgentCatalog"/>:
/// <c>palisade config agents</c> prints it, and docs/shutdown-agents.md is this text (a test keeps them equal).
/// </summary>
public static class ShutdownAgentReference
{
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("# Shutdown agent reference\n\n");
        text.Append("Generated from the agent declarations (`palisade config agents` prints the same text). Every agent also\n");
        text.Append("takes `type` and `timeout` (how long one call may take, default 20s). Secret values never appear in logs,\n");
        text.Append("status, messages or `palisade sd -C`.\n");
        foreach (var agent in ShutdownAgentCatalog.All)
        {
            text.Append("\n## `").Append(agent.Type).Append("`\n\n").Append(agent.Description).Append(".\n");
            if (agent.FenceAgent is { } fenceAgent)
            {
                text.Append("Runs `").Append(fenceAgent).Append("` through the `fence-agent` runner.\n");
            }

            text.Append(agent.Stops ? "" : "It only confirms that the node is down; it never stops one. A chain made only of such agents "
                + "is refused unless the node has a `watchdog`.\n");
            text.Append(agent.ConfirmsBySilence ? "On a node with a `watchdog` its confirmation does not end the chain: the `watchdog` agent decides.\n" : "");
            text.Append(agent.Parameters.IsEmpty ? "\nIt takes no parameters.\n" : "\n| Parameter | Kind | Required | Default | Description |\n|---|---|---|---|---|\n");
            foreach (var p in agent.Parameters)
            {
                text.Append("| `").Append(p.Name).Append("` | ").Append(Kind(p)).Append(" | ")
                    .Append(p.Required ? "yes" : "no").Append(" | ")
                    .Append(p.Default is null ? "" : $"`{p.Default}`").Append(" | ")
                    .Append(p.Description.Replace("|", "\\|", StringComparison.Ordinal))
                    .Append(p.Secret ? " (secret)" : "").Append(" |\n");
            }

            foreach (var set in agent.ExactlyOneOf)
            {
                text.Append("\nGive exactly one of ").Append(string.Join(" and ", set.Select(n => $"`{n}`"))).Append(".\n");
            }

            foreach (var set in agent.AtMostOneOf)
            {
                text.Append("\nGive at most one of ").Append(string.Join(" and ", set.Select(n => $"`{n}`"))).Append(".\n");
            }

            if (agent.PassesOptionsThrough)
            {
                text.Append("\nAny other key is an option of the fence agent itself, checked against its metadata when the shutdown\n");
                text.Append("daemon initialises the agent (`").Append(agent.FenceAgent ?? "fence_x").Append(" -o metadata` lists them).\n");
            }
        }

        return text.ToString();
    }

    private static string Kind(AgentParameterSpec p) => p.Kind switch
    {
        ParameterKind.Integer => $"integer {p.Min}..{p.Max}",
        ParameterKind.Choice => string.Join(" \\| ", p.Choices),
        ParameterKind.HostList => "addresses",
        ParameterKind.Flag => "true/false",
        _ => p.Kind.ToString().ToLowerInvariant(),
    };
}
