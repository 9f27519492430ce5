using System.Collections.Immutable;
using System.Globalization;
using Palisade.Configuration;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>The effective cluster config of a lab, its nodes, and what the lab changed in a given file.</summary>
/// <param name="Replaced">Per node: which given addresses the lab replaced with its own.</param>
/// <param name="Added">Per node: shutdown agents the lab added because the file gave none.</param>
internal sealed record LabPlan(ClusterConfig Config, IReadOnlyList<LabNode> Nodes, IReadOnlyList<string> Replaced, IReadOnlyList<string> Added);

/// <summary>
/// Builds the config a lab runs: generated for <c>--nodes N</c>, or taken from a file whose addresses
/// the lab replaces with its own (the network is the lab's, not the file's).
/// </summary>
internal static class LabConfigBuilder
{
    public const string ClusterName = "lab";
    public const int DefaultNodes = 3;

    public static LabPlan Generate(int count)
    {
        if (count is < 1 or > LabTopology.MaxNodes)
        {
            throw new LabUsageException($"--nodes must be between 1 and {LabTopology.MaxNodes} (got {count})");
        }

        var nodes = Enumerable.Range(1, count).Select(i => new LabNode($"n{i}", (uint)i, i)).ToList();
        var config = new ClusterConfig
        {
            Name = ClusterName,
            // token_coefficient 0: a node loss is seen after ~2.15 s instead of ~3.5 s with 3 nodes.
            Totem = new TotemConfig { TokenMs = 1000, TokenCoefficientMs = 0 },
            Nodes = [.. nodes.Select(n => new NodeConfig
            {
                Name = n.Name,
                Id = n.Id,
                Interconnect = [n.InterconnectAddress],
                Admin = n.AdminAddress,
                Weight = 1,
                ShutdownAgents = [IpmiAgent(n)],
            })],
            Groups = [],
            Intake = LabIntake.Config,
            Api = LabApi.Config,
        };
        return new LabPlan(config, nodes, [], []);
    }

    /// <summary>Loads and adapts a config file; any error (file:line:col) aborts before anything is created.</summary>
    public static LabPlan FromFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new LabUsageException($"config file {path} does not exist");
        }

        var loaded = ConfigLoader.LoadFile(path);
        if (!loaded.Ok || loaded.Config is null)
        {
            var errors = loaded.Errors.Count > 0 ? loaded.Errors.Select(e => e.ToString()) : [$"{path}: not a valid cluster config"];
            throw new LabException($"{path} is not a valid cluster config; nothing was created:\n" + string.Join('\n', errors));
        }

        return Adapt(loaded.Config, path);
    }

    internal static LabPlan Adapt(ClusterConfig loaded, string path)
    {
        var problems = new List<string>();
        if (loaded.Nodes.Length is < 1 or > LabTopology.MaxNodes)
        {
            problems.Add($"{path}: the lab runs 1 to {LabTopology.MaxNodes} nodes, the file has {loaded.Nodes.Length}");
        }

        problems.AddRange(loaded.Nodes
            .Select(n => LabTopology.CheckNodeName(n.Name))
            .OfType<string>()
            .Select(p => $"{path}: {p}"));
        problems.AddRange(loaded.Nodes
            .Select(Watchdog.LabWatchdogs.Problem)
            .OfType<string>()
            .Select(p => $"{path}: {p}"));
        if (problems.Count > 0)
        {
            throw new LabException("the config cannot run in the lab; nothing was created:\n" + string.Join('\n', problems));
        }

        var nodes = loaded.Nodes.Select((n, i) => new LabNode(n.Name, n.Id, i + 1)).ToList();
        var replaced = new List<string>();
        var added = new List<string>();
        var adapted = loaded.Nodes.Select((n, i) => AdaptNode(n, nodes[i], replaced, added)).ToImmutableArray();
        var config = loaded with { Nodes = adapted, SourcePath = null, Intake = loaded.Intake ?? LabIntake.Config, Api = loaded.Api ?? LabApi.Config };
        return new LabPlan(config, nodes, replaced, added);
    }

    private static NodeConfig AdaptNode(NodeConfig given, LabNode node, List<string> replacedNotes, List<string> addedNotes)
    {
        var interconnect = ImmutableArray.Create(node.InterconnectAddress);
        var replaced = new List<string>();
        if (!given.Interconnect.SequenceEqual(interconnect))
        {
            replaced.Add($"interconnect {string.Join(',', given.Interconnect)} -> {node.InterconnectAddress}");
        }

        if (given.Admin is not null && given.Admin != node.AdminAddress)
        {
            replaced.Add($"admin {given.Admin} -> {node.AdminAddress}");
        }

        if (replaced.Count > 0)
        {
            replacedNotes.Add($"the lab replaced the addresses of {node.Name}: {string.Join("; ", replaced)}");
        }

        var agents = given.ShutdownAgents;
        if (agents.IsDefaultOrEmpty)
        {
            agents = [IpmiAgent(node)];
            addedNotes.Add($"{node.Name} has no shutdown agent: the lab added its IPMI BMC at {node.BmcAddress}");
        }

        return given with { Interconnect = interconnect, Admin = node.AdminAddress, ShutdownAgents = agents };
    }

    private static ShutdownAgentConfig IpmiAgent(LabNode node) => new()
    {
        Type = "ipmi",
        Timeout = TimeSpan.FromSeconds(10),
        Parameters = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
        {
            ["address"] = node.BmcAddress,
            ["port"] = LabBmcAccess.IpmiPort.ToString(CultureInfo.InvariantCulture),
            ["user"] = LabBmcAccess.User,
            ["password_file"] = LabBmcAccess.PasswordFileOnNode,
            ["cipher"] = LabBmcAccess.IpmiCipher,
        }),
    };
}
