using Palisade.Lab;
using Xunit;

namespace Palisade.Integration.Tests.Lab;

/// <summary>Argument handling of <c>palisade lab</c>; none of these may build or touch a lab.</summary>
public sealed class LabCliUsageTests
{
    [Theory]
    [InlineData(new[] { "frobnicate" }, "lab: unknown lab command 'frobnicate' (see 'palisade lab --help')")]
    [InlineData(new[] { "up", "--nodes", "zero" }, "lab: --nodes needs a positive number, got 'zero'")]
    [InlineData(new[] { "up", "--nodes", "33" }, "lab: --nodes must be between 1 and 32 (got 33)")]
    [InlineData(new[] { "up", "--nodes", "2", "--config", "x.yaml" }, "lab: give either a node count or a config file, not both")]
    [InlineData(new[] { "up", "--colour" }, "lab: usage: palisade lab up [--nodes N | --config FILE]")]
    [InlineData(new[] { "up", "--config", "/nonexistent/cluster.yaml" }, "lab: config file /nonexistent/cluster.yaml does not exist")]
    [InlineData(new[] { "status", "--output", "xml" }, "lab: usage: palisade lab status [--output text|json]")]
    [InlineData(new[] { "exec", "n1" }, "lab: usage: palisade lab exec NODE -- CMD [ARG...]")]
    [InlineData(new[] { "power", "n1" }, "lab: usage: palisade lab power NODE on|off|reset|status")]
    [InlineData(new[] { "cut", "n1", "--some" }, "lab: usage: palisade lab cut NODE [--all]")]
    [InlineData(new[] { "heal" }, "lab: usage: palisade lab heal NODE")]
    [InlineData(new[] { "down", "now" }, "lab: 'down' takes no arguments")]
    [InlineData(new[] { "panic" }, "lab: usage: palisade lab panic NODE [--interval SECONDS]")]
    [InlineData(new[] { "panic", "n1", "--interval" }, "lab: usage: palisade lab panic NODE [--interval SECONDS]")]
    [InlineData(new[] { "panic", "n1", "--interval", "0" }, "lab: --interval needs seconds between 0.1 and 3600, got '0'")]
    [InlineData(new[] { "bmc", "n1", "sideways" }, "lab: usage: palisade lab bmc NODE down|up")]
    [InlineData(new[] { "redfish-bmc", "--state", "relative/dir" }, "lab: usage: palisade lab redfish-bmc --state DIR")]
    [InlineData(new[] { "kdump-announce", "--from", "198.18.0.11" }, "lab: usage: palisade lab kdump-announce --from ADDR --to ADDR[,ADDR...] [--from ADDR --to ADDR[,ADDR...]]... [--interval SECONDS]")]
    [InlineData(new[] { "kdump-announce", "--from", "n2", "--to", "198.18.0.12" }, "lab: 'n2' is not an IPv4 address (usage: palisade lab kdump-announce --from ADDR --to ADDR[,ADDR...] [--from ADDR --to ADDR[,ADDR...]]... [--interval SECONDS])")]
    [InlineData(new[] { "kdump-announce", "--from", "198.18.0.11", "--to", "198.18.0.12", "--interval", "-1" }, "lab: --interval needs seconds between 0.1 and 3600, got '-1'")]
    public async Task BadArgumentsExitWithTwoAndSayWhy(string[] args, string message)
    {
        var namespacesBefore = LabTestSupport.LabNamespaces();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var code = await LabCli.RunAsync(args, stdout, stderr);

        Assert.Equal((2, message + "\n", ""), (code, stderr.ToString(), stdout.ToString()));
        Assert.Equal(namespacesBefore, LabTestSupport.LabNamespaces());
    }

    [Fact]
    public async Task HelpListsEveryVerb()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        Assert.Equal(0, await LabCli.RunAsync(["--help"], stdout, stderr));

        foreach (var verb in new[] { "up ", "down ", "status ", "exec ", "power ", "panic ", "bmc ", "cut ", "heal ", "switch " })
        {
            Assert.Contains("\n  " + verb, stdout.ToString());
        }

        Assert.Equal("", stderr.ToString());
    }
}
