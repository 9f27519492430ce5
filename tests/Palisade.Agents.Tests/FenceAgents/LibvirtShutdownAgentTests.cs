using System.Security.Cryptography;
using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>The libvirt preset: the real fence_virt client against a real fence_virtd on libvirt's test driver.</summary>
[Collection(FenceVirtd.Collection)]
public sealed class LibvirtShutdownAgentTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ListLoggerFactory _loggers = new();
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private IShutdownAgent Agent(FenceVirtd daemon, params (string Name, string? Value)[] changes)
    {
        (string Name, string Value)[] options = [("plug", FenceVirtd.Domain), .. daemon.ClientOptions];
        return FenceAgentConfigs.Agent("libvirt", Timeout, options.With(changes), _loggers);
    }

    [Fact]
    public async Task Kill_switches_the_domain_off_and_fence_virt_confirms_it()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        IShutdownAgent agent = Agent(daemon);

        AgentResult init = await agent.InitAsync(CancellationToken.None);
        AgentResult off = await agent.KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Success, init.Outcome);
        Assert.Equal("n2 via fence_virt: /usr/sbin/fence_virt found, metadata read, options valid, plug 'test'", init.Reason);
        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches(@"^n2 via fence_virt: confirmed off after [\d.]+m?s$", off.Reason);
        Assert.Equal("stdout: Status: OFF", off.OutputExcerpt);
        Assert.Equal(2, status.ExitCode);
        Assert.Equal("Status: OFF", status.StandardOutput.Trim());
        Assert.Equal("libvirt", agent.Type);
    }

    [Fact]
    public async Task Test_succeeds_and_leaves_the_domain_running()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult test = await Agent(daemon).TestAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Matches(@"^n2 via fence_virt: monitor succeeded in [\d.]+m?s$", test.Reason);
        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task Power_on_brings_a_killed_domain_back()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        IShutdownAgent agent = Agent(daemon);

        AgentResult off = await agent.KillAsync(CancellationToken.None);
        AgentResult on = await ((IPowerSwitch)agent).PowerOnAsync(CancellationToken.None);
        (AgentResult status, PowerState state) = await ((IPowerSwitch)agent).PowerStatusAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Equal(AgentOutcome.Success, on.Outcome);
        Assert.Matches(@"^n2 via fence_virt: confirmed on after [\d.]+m?s$", on.Reason);
        Assert.Equal((AgentOutcome.Success, PowerState.On), (status.Outcome, state));
        Assert.Equal("n2 via fence_virt: power is on", status.Reason);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_and_the_domain_keeps_running()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        string wrongKey = _temp.File("wrong.key");
        File.WriteAllBytes(wrongKey, RandomNumberGenerator.GetBytes(256));

        AgentResult off = await Agent(daemon, ("key_file", wrongKey)).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal(1, off.ExitCode);
        Assert.StartsWith("n2 via fence_virt: off exited 1: ", off.Reason, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task The_node_name_is_the_plug_when_none_is_given()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult init = await FenceAgentConfigs.Agent("libvirt", Timeout, daemon.ClientOptions, _loggers).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, init.Outcome);
        Assert.EndsWith(", plug 'n2'", init.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_file_is_refused_since_fence_virt_takes_no_password()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        string file = _temp.Write("pw", "x\n");

        AgentResult init = await Agent(daemon, ("password_file", file)).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal("n2 via fence_virt: fence_virt takes no password, so password_file cannot be used", init.Reason);
    }
}
