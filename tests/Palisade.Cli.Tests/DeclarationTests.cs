using Xunit;

namespace Palisade.Cli.Tests;

/// <summary>A command not named on the line stands as its name and summary: those must be the full declaration's.</summary>
public sealed class DeclarationTests
{
    [Fact]
    public void Every_command_declares_the_name_and_summary_it_is_listed_with()
    {
        foreach (var (name, summary, declare) in PalisadeCommand.Commands)
        {
            var command = declare();
            Assert.Equal((name, summary), (command.Name, command.Description));
        }
    }

    [Fact]
    public void Only_the_named_command_is_declared_in_full()
    {
        var root = PalisadeCommand.Declare(["group", "move", "web"]);

        Assert.NotEmpty(root.Subcommands.Single(c => c.Name == "group").Subcommands);
        Assert.Equal(["--help"], root.Subcommands.Single(c => c.Name == "sd").Options.Select(o => o.Name));
        Assert.All(PalisadeCommand.Declare().Subcommands.Where(c => c.Name != "status"), c => Assert.True(c.Subcommands.Count + c.Options.Count > 1, c.Name));
    }
}
