using System.Text.RegularExpressions;
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
}
