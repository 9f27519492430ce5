using Xunit;

namespace Palisade.Cli.Tests;

/// <summary>Usage errors exit 2 and name the bad word on stderr; help exits 0; nothing reaches a daemon.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "palisade: unknown command 'frobnicate' (expected one of: status, group, monitor, node, maintenance, notify, clprexec, events, sd, config, cluster, lab, demo)")]
    [InlineData(new[] { "group", "restart", "web" }, "palisade: group: unknown command 'restart' (expected one of: start, stop, move, cleanup)")]
    [InlineData(new[] { "group", "start", "web", "--to", "n2" }, "palisade: group start: unknown option '--to' (see 'palisade group start --help')")]
    [InlineData(new[] { "group", "move" }, "palisade: group move: Required argument 'GROUP' missing for command: 'move'.")]
    [InlineData(new[] { "monitor", "show" }, "palisade: monitor: unknown command 'show' (expected one of: list, suspend, resume, clear)")]
    [InlineData(new[] { "status", "--output", "yaml" }, "palisade: status: --output must be text or json, not 'yaml'")]
    [InlineData(new[] { "config", "authkey", "extra" }, "palisade: config authkey: unexpected argument 'extra' (see 'palisade config authkey --help')")]
    [InlineData(new[] { "sd" }, "palisade: sd needs one action (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "-x" }, "palisade: sd: unknown option '-x' (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "-s", "-b" }, "palisade: sd takes one action, got -s -b")]
    [InlineData(new[] { "sd", "-k" }, "palisade: sd -k needs a node name")]
    [InlineData(new[] { "sd", "-d", "maybe" }, "palisade: sd -d takes on or off")]
    [InlineData(new[] { "sd", "-s", "n1" }, "palisade: sd: unexpected argument 'n1' (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "--history", "--output", "yaml" }, "palisade: sd: --output must be text or json, not 'yaml'")]
    [InlineData(new[] { "clprexec" }, "palisade: give exactly one of --notice, --clear, --failover, --script")]
    [InlineData(new[] { "clprexec", "--notice", "--clear", "-k", "NIC.eth1" }, "palisade: give exactly one of --notice, --clear, --failover, --script")]
    [InlineData(new[] { "clprexec", "--notice", "-k", "NIC.eth1", "-p", "99999" }, "palisade: -p needs a number between 1 and 65535, not '99999'")]
    [InlineData(new[] { "clprexec", "--script" }, "palisade: --script needs the name of a script")]
    [InlineData(new[] { "notify" }, "palisade: --category is required; expected: notify --category C [--keyword K] [--severity error|warning|clear] [--text T] [--node N] [--id ID] [--source S]")]
    [InlineData(new[] { "notify", "--category", "NIC", "--severity", "bad" }, "palisade: --severity must be error, warning or clear, not 'bad'")]
    [InlineData(new[] { "notify", "--batch", "x", "--category", "NIC" }, "palisade: --batch takes only --acks FILE besides")]
    [InlineData(new[] { "cluster", "setup", "x.yaml", "--ssh", "--print" }, "palisade: cluster setup: give --print or --ssh, not both")]
    [InlineData(new[] { "cluster", "setup", "x.yaml", "--start" }, "palisade: cluster setup: --start goes with --ssh (the printed commands include the start steps)")]
    [InlineData(new[] { "lab", "chaos", "--runs", "0" }, "palisade: lab chaos: --runs must be at least 1")]
    [InlineData(new[] { "lab", "power", "n1", "sideways" }, "palisade: lab power: Argument 'sideways' not recognized. Must be one of:")]
    public async Task A_bad_command_line_exits_2_and_says_what_is_wrong(string[] args, string firstLine)
    {
        var (code, output, error) = await CliRun.RunAsync(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal(firstLine, error.Split('\n')[0]);
    }

    [Fact]
    public async Task Palisade_alone_prints_the_help_and_exits_2()
    {
        var (code, output, error) = await CliRun.RunAsync();

        Assert.Equal(2, code);
        Assert.StartsWith("usage: palisade COMMAND\n", output, StringComparison.Ordinal);
        Assert.Equal("", error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("help")]
    public async Task Help_lists_every_command_and_exits_0(string help)
    {
        var (code, output, _) = await CliRun.RunAsync(help);

        Assert.Equal(0, code);
        foreach (var command in new[] { "status", "group", "monitor", "node", "maintenance", "notify", "clprexec", "events", "sd", "config", "cluster", "lab", "demo" })
        {
            Assert.Contains("\n  " + command + " ", output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("group", "move", "--help")]
    [InlineData("monitor", "suspend", "-h")]
    [InlineData("sd", "-h")]
    [InlineData("config", "corosync", "--help")]
    [InlineData("lab", "exec", "--help")]
    [InlineData("lab", "chaos", "-h")]
    [InlineData("cluster", "setup", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var (code, output, error) = await CliRun.RunAsync(args);

        Assert.Equal((0, ""), (code, error));
        Assert.StartsWith($"usage: palisade {string.Join(' ', args[..^1])}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_shows_each_option_with_its_value_and_each_subcommand_with_its_arguments()
    {
        var sd = (await CliRun.RunAsync("sd", "--help")).Out;
        var lab = (await CliRun.RunAsync("lab", "--help")).Out;
        var move = (await CliRun.RunAsync("group", "move", "--help")).Out;

        Assert.Contains("\n  -k [NODE] ", sd, StringComparison.Ordinal);
        Assert.Contains("\n  -o, --output text|json ", sd, StringComparison.Ordinal);
        Assert.Contains("\n  power NODE on|off|reset|status ", lab, StringComparison.Ordinal);
        Assert.Contains("\n  --dry-run ", move, StringComparison.Ordinal);
        Assert.Contains("\n  -h, --help ", move, StringComparison.Ordinal);
        Assert.DoesNotContain("redfish-bmc", lab, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_before_a_command_is_that_commands_help()
    {
        var (code, output, _) = await CliRun.RunAsync("help", "group", "move");

        Assert.Equal(0, code);
        Assert.StartsWith("usage: palisade group move GROUP [OPTIONS]\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sd_help_says_it_is_also_sdtool()
    {
        Assert.Contains("also: sdtool", (await CliRun.RunAsync("sd", "--help")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clprexec_keeps_dash_h_for_the_host()
    {
        var (code, output, error) = await CliRun.RunAsync("clprexec", "--notice", "-k", "NIC.eth1", "-h", "198.18.0.250", "--token-file", "/nonexistent/token");

        Assert.Equal((1, ""), (code, output));
        Assert.StartsWith("palisade: cannot read the intake token /nonexistent/token", error, StringComparison.Ordinal);
        Assert.Contains("\n  -h HOST ", (await CliRun.RunAsync("clprexec", "--help")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failure_exits_1_with_its_reason()
    {
        var (code, output, error) = await CliRun.RunAsync("group", "move", "web", "--to", "n2", "--dry-run");

        Assert.Equal((1, ""), (code, output));
        Assert.StartsWith("palisade: cannot reach palisaded at /nonexistent/palisaded.sock: ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_argument_starting_with_at_is_taken_as_it_is()
    {
        var (code, _, error) = await CliRun.RunAsync("notify", "--category", "NIC", "--text", "@nonexistent-file");

        Assert.Equal(1, code);
        Assert.StartsWith("palisade: cannot reach palisaded", error, StringComparison.Ordinal);
    }
}
