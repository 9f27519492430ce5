using Xunit;

namespace Palisade.Cli.Tests;

/// <summary>Shell completion comes from the same declarations that parse the command line.</summary>
public sealed class CompletionTests
{
    [Fact]
    public async Task A_partial_command_completes_to_the_subcommand()
    {
        Assert.Equal(["group"], await CliRun.CompleteAsync("palisade gr"));
    }

    [Fact]
    public async Task Every_command_is_offered_after_palisade()
    {
        var offered = await CliRun.CompleteAsync("palisade ");

        foreach (var command in new[] { "status", "group", "monitor", "node", "maintenance", "notify", "clprexec", "events", "sd", "config", "cluster", "lab", "demo" })
        {
            Assert.Contains(command, offered);
        }
    }

    [Theory]
    [InlineData("palisade group ", new[] { "cleanup", "move", "start", "stop" })]
    [InlineData("palisade lab ", new[] { "bmc", "chaos", "cut", "down", "exec", "heal", "link", "nic-fail", "panic", "power", "split", "status", "switch", "up" })]
    [InlineData("palisade status --output ", new[] { "json", "text" })]
    [InlineData("palisade sd -d ", new[] { "off", "on" })]
    [InlineData("palisade lab power n1 ", new[] { "off", "on", "reset", "status" })]
    public async Task Subcommands_and_option_values_are_offered(string line, string[] expected)
    {
        var offered = await CliRun.CompleteAsync(line);

        Assert.All(expected, e => Assert.Contains(e, offered));
    }

    [Fact]
    public async Task The_lab_helpers_are_not_offered()
    {
        var offered = await CliRun.CompleteAsync("palisade lab ");

        Assert.DoesNotContain("redfish-bmc", offered);
        Assert.DoesNotContain("watchdog", offered);
    }

    [Fact]
    public async Task Sd_actions_are_offered()
    {
        var offered = await CliRun.CompleteAsync("palisade sd -");

        Assert.All(new[] { "-s", "-b", "-e", "-r", "-C", "-d", "-k", "--history", "--confirm-down", "--test-now", "--help" }, a => Assert.Contains(a, offered));
    }
}
