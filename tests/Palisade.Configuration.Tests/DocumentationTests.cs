using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>The operator documentation's example must stay a valid file.</summary>
public sealed partial class DocumentationTests
{
    [GeneratedRegex("```yaml\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex YamlBlock();

    private static string DocumentationPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "configuration.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("docs/configuration.md not found above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Shutdown_agent_reference_is_the_one_the_declarations_write()
    {
        var path = Path.Combine(Path.GetDirectoryName(DocumentationPath())!, "shutdown-agents.md");

        Assert.Equal(ShutdownAgentReference.Markdown(), File.ReadAllText(path));
    }

    [Fact]
    public void Example_in_the_documentation_is_valid()
    {
        var example = YamlBlock().Match(File.ReadAllText(DocumentationPath())).Groups[1].Value;

        var result = ConfigLoader.Parse(example, "configuration.md");

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        var config = result.Config!;
        Assert.Equal(["n1", "n2", "n3"], config.Nodes.Select(n => n.Name).ToArray());
        Assert.Equal(2, config.Nodes[0].Interconnect.Length);
        Assert.Equal(["web", "reports"], config.Groups.Select(g => g.Name).ToArray());
        Assert.Equal("cycle", config.Nodes[1].ShutdownAgents[0].Parameters["method"]);
    }

    [Fact]
    public void Fence_agent_example_in_the_documentation_is_valid()
    {
        var block = YamlBlock().Matches(File.ReadAllText(DocumentationPath()))
            .Select(m => m.Groups[1].Value)
            .Single(b => b.Contains("type: fence-agent", StringComparison.Ordinal));
        var indented = string.Join("\n", block.TrimEnd().Split('\n').Select(line => "    " + line));
        var file = $"cluster: {{name: lab}}\nnodes:\n  - name: n2\n    id: 2\n    interconnect: 10.0.0.2\n{indented}\n";

        var result = ConfigLoader.Parse(file, "configuration.md");

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        var agents = result.Config!.Nodes[0].ShutdownAgents;
        Assert.Equal(["fence-agent", "libvirt"], agents.Select(a => a.Type).ToArray());
        Assert.Equal("1", agents[0].Parameters["lanplus"]);
        Assert.Equal("n2-vm", agents[1].Parameters["plug"]);
    }

    [Fact]
    public void Monitors_example_in_the_documentation_is_valid()
    {
        var path = Path.Combine(Path.GetDirectoryName(DocumentationPath())!, "monitors.md");
        var block = YamlBlock().Matches(File.ReadAllText(path)).Select(m => m.Groups[1].Value)
            .Single(b => b.StartsWith("monitors:", StringComparison.Ordinal));
        var file = "cluster: {name: lab}\nnodes:\n  - {name: n1, id: 1, interconnect: 10.0.0.1}\n"
            + "groups:\n  - {name: web, nodes: [n1]}\n  - {name: db, nodes: [n1]}\n" + block;

        var result = ConfigLoader.Parse(file, "monitors.md");

        Assert.Empty(result.Errors.Select(e => e.ToString()));
        Assert.Equal(["process", "process", "ip", "nic", "disk", "custom"], result.Config!.Monitors.Select(m => MonitorConfig.KindName(m.Kind)).ToArray());
    }
}
