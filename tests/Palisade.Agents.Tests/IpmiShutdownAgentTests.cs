using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class IpmiShutdownAgentTests : IDisposable
{
    private static readonly NodeConfig Target = new() { Name = "n2", Id = 2, Interconnect = ["198.18.0.2"] };

    private readonly ListLoggerFactory _loggers = new();
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private IShutdownAgent Agent(int port, TimeSpan timeout, params (string Name, string Value)[] overrides)
    {
        var parameters = new Dictionary<string, string>
        {
            ["address"] = "127.0.0.1",
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["user"] = IpmiSim.User,
            ["password"] = IpmiSim.Password,
            ["cipher"] = "3",
        };
        foreach ((string name, string value) in overrides)
        {
            parameters.Remove(name == "password_file" ? "password" : name);
            parameters[name] = value;
        }

        var config = new ShutdownAgentConfig { Type = "ipmi", Timeout = timeout, Parameters = parameters.ToImmutableSortedDictionary() };
        return ShutdownAgentFactory.Create(config, ShutdownAgentFactory.TargetOf(Target), new ShutdownAgentServices(_loggers, TimeProvider.System));
    }

    [Fact]
    public async Task Status_of_a_powered_on_node_is_on()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();

        (AgentResult result, PowerState state) = await ((IPowerSwitch)Agent(sim.Port, TimeSpan.FromSeconds(10))).PowerStatusAsync(CancellationToken.None);

        Assert.Equal(PowerState.On, state);
        Assert.Equal(AgentOutcome.Success, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"n2 via ipmi 127.0.0.1:{sim.Port}: power is on", result.Reason);
        Assert.Equal("stdout: Chassis Power is on", result.OutputExcerpt);
    }

    [Fact]
    public async Task Power_off_succeeds_once_the_bmc_confirms_off()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(sim.Port, TimeSpan.FromSeconds(10));

        AgentResult off = await agent.KillAsync(CancellationToken.None);
        (AgentResult status, PowerState state) = await ((IPowerSwitch)agent).PowerStatusAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches($@"^n2 via ipmi 127\.0\.0\.1:{sim.Port}: confirmed off after [\d.]+m?s$", off.Reason);
        Assert.Equal("0", sim.PowerFileContent);
        Assert.Equal((AgentOutcome.Success, PowerState.Off), (status.Outcome, state));
        Assert.True(off.Duration < TimeSpan.FromSeconds(10), $"took {off.Duration}");
        Assert.Equal("ipmi", agent.Type);
    }

    [Fact]
    public async Task Cycle_method_confirms_off_then_powers_the_node_on_again()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(sim.Port, TimeSpan.FromSeconds(10), ("method", "cycle"));

        AgentResult kill = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, kill.Outcome);
        Assert.Matches($@"^n2 via ipmi 127\.0\.0\.1:{sim.Port}: confirmed off after [\d.]+m?s; then power on: Success$", kill.Reason);
        Assert.Equal("1", sim.PowerFileContent);
    }

    [Fact]
    public async Task Power_off_of_a_node_already_off_succeeds_and_power_on_brings_it_back()
    {
        using IpmiSim sim = await IpmiSim.StartAsync(poweredOn: false);
        IShutdownAgent agent = Agent(sim.Port, TimeSpan.FromSeconds(10));

        AgentResult off = await agent.KillAsync(CancellationToken.None);
        string afterOff = sim.PowerFileContent;
        AgentResult on = await ((IPowerSwitch)agent).PowerOnAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Equal("0", afterOff);
        Assert.Equal(AgentOutcome.Success, on.Outcome);
        Assert.StartsWith($"n2 via ipmi 127.0.0.1:{sim.Port}: confirmed on after ", on.Reason, StringComparison.Ordinal);
        Assert.Equal("1", sim.PowerFileContent);
    }

    [Fact]
    public async Task Wrong_password_fails_without_revealing_it()
    {
        const string wrong = "wr0ng-Pa55";
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(sim.Port, TimeSpan.FromSeconds(10), ("password", wrong));

        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal(1, off.ExitCode);
        Assert.Equal(
            $"n2 via ipmi 127.0.0.1:{sim.Port}: ipmitool chassis power off exited 1: Error: Unable to establish IPMI v2 / RMCP+ session",
            off.Reason);
        Assert.True(off.Duration < TimeSpan.FromSeconds(10), $"took {off.Duration}");
        Assert.Equal("1", sim.PowerFileContent);
        Assert.DoesNotContain(wrong, off.Reason + off.OutputExcerpt, StringComparison.Ordinal);
        Assert.NotEmpty(_loggers.Lines);
        Assert.All(_loggers.Lines, line => Assert.DoesNotContain(wrong, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreachable_bmc_gives_up_within_the_timeout()
    {
        int nobody = IpmiSim.FreeUdpPort();
        TimeSpan timeout = TimeSpan.FromSeconds(2);
        var clock = Stopwatch.StartNew();

        AgentResult off = await Agent(nobody, timeout).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.TimedOut, off.Outcome);
        Assert.Null(off.ExitCode);
        Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(100), timeout + TimeSpan.FromSeconds(2));
        Assert.Matches($@"^n2 via ipmi 127\.0\.0\.1:{nobody}: off not confirmed within 2s: ipmitool chassis power off timed out after [\d.]+m?s$", off.Reason);
    }

    [Fact]
    public async Task Password_can_come_from_a_file_and_is_never_logged()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        string file = _temp.Write("bmc.pw", IpmiSim.Password + "\n");
        IShutdownAgent agent = Agent(sim.Port, TimeSpan.FromSeconds(10), ("password_file", file));

        (AgentResult status, PowerState state) = await ((IPowerSwitch)agent).PowerStatusAsync(CancellationToken.None);
        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal((AgentOutcome.Success, PowerState.On), (status.Outcome, state));
        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Equal("0", sim.PowerFileContent);
        Assert.Contains(_loggers.Lines, line => line.Contains("chassis power off -> exit 0", StringComparison.Ordinal));
        Assert.All(_loggers.Lines, line => Assert.DoesNotContain(IpmiSim.Password, line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unreadable_password_file_is_not_configured()
    {
        string missing = _temp.File("absent.pw");
        int port = IpmiSim.FreeUdpPort();

        AgentResult off = await Agent(port, TimeSpan.FromSeconds(5), ("password_file", missing)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, off.Outcome);
        Assert.StartsWith($"n2 via ipmi 127.0.0.1:{port}: cannot read password_file {missing}: ", off.Reason, StringComparison.Ordinal);
    }
}
