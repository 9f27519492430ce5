using System.Diagnostics;
using Xunit;
using static Palisade.Agents.Tests.FenceAgentConfigs;

namespace Palisade.Agents.Tests;

/// <summary>The real fence_ipmilan, run by the fence-agent runner, against a real ipmi_sim BMC on loopback.</summary>
public sealed class FenceIpmilanTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(20);

    private readonly ListLoggerFactory _loggers = new();
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private IShutdownAgent Agent(TimeSpan timeout, (string Name, string Value)[] options) => FenceAgentConfigs.Agent("fence-agent", timeout, options, _loggers);

    [Fact]
    public async Task Kill_switches_off_and_confirms_with_status()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(sim.Port));

        AgentResult init = await agent.InitAsync(CancellationToken.None);
        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, init.Outcome);
        Assert.Equal("n2 via fence_ipmilan: /usr/sbin/fence_ipmilan found, metadata read, options valid", init.Reason);
        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches(@"^n2 via fence_ipmilan: confirmed off after [\d.]+m?s$", off.Reason);
        Assert.Equal(2, off.ExitCode);
        Assert.Equal("stdout: Status: OFF", off.OutputExcerpt);
        Assert.Equal("0", sim.PowerFileContent);
        Assert.Equal("fence-agent", agent.Type);
        Assert.Contains(_loggers.Lines, l => l.Contains("[3201] n2: fence_ipmilan action=off -> exit 0", StringComparison.Ordinal));
        Assert.Contains(_loggers.Lines, l => l.Contains("[3201] n2: fence_ipmilan action=status -> exit 2", StringComparison.Ordinal));
        Assert.All(_loggers.Lines, l => Assert.DoesNotContain(IpmiSim.Password, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Test_runs_the_monitor_action_without_switching()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();

        AgentResult test = await Agent(Generous, IpmilanOptions(sim.Port)).TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Matches(@"^n2 via fence_ipmilan: monitor succeeded in [\d.]+m?s$", test.Reason);
        Assert.Equal(0, test.ExitCode);
        Assert.Equal("1", sim.PowerFileContent);
        Assert.Contains(_loggers.Lines, l => l.Contains("action=monitor -> exit 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Power_status_and_power_on_follow_the_bmc()
    {
        using IpmiSim sim = await IpmiSim.StartAsync(poweredOn: false);
        var agent = (IPowerSwitch)Agent(Generous, IpmilanOptions(sim.Port));

        (AgentResult before, PowerState stateBefore) = await agent.PowerStatusAsync(CancellationToken.None);
        AgentResult on = await agent.PowerOnAsync(CancellationToken.None);
        (_, PowerState stateAfter) = await agent.PowerStatusAsync(CancellationToken.None);

        Assert.Equal((AgentOutcome.Success, PowerState.Off), (before.Outcome, stateBefore));
        Assert.Equal("n2 via fence_ipmilan: power is off", before.Reason);
        Assert.Equal(AgentOutcome.Success, on.Outcome);
        Assert.Matches(@"^n2 via fence_ipmilan: confirmed on after [\d.]+m?s$", on.Reason);
        Assert.Equal(PowerState.On, stateAfter);
        Assert.Equal("1", sim.PowerFileContent);
    }

    [Fact]
    public async Task Reboot_action_counts_the_agents_own_success_as_confirmed()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(sim.Port).With(("action", "reboot")));

        AgentResult reboot = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, reboot.Outcome);
        Assert.Matches(@"^n2 via fence_ipmilan: reboot confirmed by the agent after [\d.]+m?s$", reboot.Reason);
        Assert.Equal("stdout: Success: Rebooted", reboot.OutputExcerpt);
        Assert.Equal("1", sim.PowerFileContent);
        Assert.Contains(_loggers.Lines, l => l.Contains("action=reboot -> exit 0", StringComparison.Ordinal));
        Assert.DoesNotContain(_loggers.Lines, l => l.Contains("action=status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_password_fails_without_revealing_it()
    {
        const string wrong = "wr0ng-Pa55-x7";
        using IpmiSim sim = await IpmiSim.StartAsync();
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(sim.Port, wrong).With(("verbose", "1")));

        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal(1, off.ExitCode);
        Assert.Equal("n2 via fence_ipmilan: off exited 1: ERROR: Failed: Unable to obtain correct plug status or plug is not available", off.Reason);
        Assert.Equal("1", sim.PowerFileContent);

        // verbose=1 makes the agent echo its ipmitool command lines; they must come out scrubbed.
        Assert.Contains("ipmitool", off.OutputExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, off.Reason + off.OutputExcerpt, StringComparison.Ordinal);
        Assert.NotEmpty(_loggers.Lines);
        Assert.All(_loggers.Lines, l => Assert.DoesNotContain(wrong, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Password_file_is_read_at_each_use_and_never_shown()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        string file = _temp.Write("bmc.pw", "not-the-password\n");
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(sim.Port).With(("password", null), ("password_file", file), ("verbose", "1")));

        AgentResult before = await agent.TestAsync(CancellationToken.None);
        File.WriteAllText(file, IpmiSim.Password + "\n");
        AgentResult init = await agent.InitAsync(CancellationToken.None);
        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, before.Outcome);
        Assert.Equal("n2 via fence_ipmilan: /usr/sbin/fence_ipmilan found, metadata read, options valid, password_file readable", init.Reason);
        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Equal("0", sim.PowerFileContent);
        string everything = string.Join('\n', [before.Reason, before.OutputExcerpt, off.Reason, off.OutputExcerpt, .. _loggers.Lines]);
        Assert.DoesNotContain(IpmiSim.Password, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", everything, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_password_the_agent_itself_prints_is_scrubbed(bool fromFile)
    {
        // fence_ipmilan hands the password to ipmitool on its command line; a tool that reports its arguments when
        // it fails, with verbose=1, puts the password into the agent's stderr.
        const string password = "Sup3r-S3cret-91";
        string tool = _temp.Write("ipmitool-echo", "#!/bin/sh\necho \"ipmitool called with: $*\" >&2\nexit 1\n", executable: true);
        (string, string?)[] secret = fromFile
            ? [("password", null), ("password_file", _temp.Write("pw", password))]
            : [("password", password)];
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(IpmiSim.FreeUdpPort()).With(secret).With(("verbose", "1"), ("ipmitool_path", tool)));

        AgentResult test = await agent.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, test.Outcome);
        Assert.Contains("ipmitool called with: ", test.OutputExcerpt, StringComparison.Ordinal);
        Assert.Contains("-P ********", test.OutputExcerpt, StringComparison.Ordinal);
        Assert.DoesNotContain(password, test.Reason + test.OutputExcerpt, StringComparison.Ordinal);
        Assert.All(_loggers.Lines, l => Assert.DoesNotContain(password, l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Legacy_option_names_from_the_metadata_work()
    {
        using IpmiSim sim = await IpmiSim.StartAsync();
        (string, string?)[] legacy = [("ip", null), ("ipaddr", "127.0.0.1"), ("username", null), ("login", IpmiSim.User), ("password", null), ("passwd", IpmiSim.Password)];
        IShutdownAgent agent = Agent(Generous, IpmilanOptions(sim.Port).With(legacy));

        AgentResult init = await agent.InitAsync(CancellationToken.None);
        AgentResult test = await agent.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, init.Outcome);
        Assert.Equal(AgentOutcome.Success, test.Outcome);
    }

    [Fact]
    public async Task Unreachable_bmc_is_killed_at_the_timeout()
    {
        int nobody = IpmiSim.FreeUdpPort();
        TimeSpan timeout = TimeSpan.FromSeconds(3);
        IShutdownAgent agent = Agent(timeout, IpmilanOptions(nobody));
        await agent.InitAsync(CancellationToken.None); // metadata read outside the measured call
        var clock = Stopwatch.StartNew();

        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.TimedOut, off.Outcome);
        Assert.Null(off.ExitCode);
        Assert.Matches(@"^n2 via fence_ipmilan: off timed out after [\d.]+m?s$", off.Reason);
        Assert.InRange(clock.Elapsed, timeout - TimeSpan.FromMilliseconds(100), timeout + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Unreachable_bmc_with_short_agent_timeouts_fails_within_the_timeout()
    {
        int nobody = IpmiSim.FreeUdpPort();
        TimeSpan timeout = TimeSpan.FromSeconds(5);
        IShutdownAgent agent = Agent(timeout, IpmilanOptions(nobody).With(("power_timeout", "1"), ("login_timeout", "1")));
        var clock = Stopwatch.StartNew();

        AgentResult off = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal(1, off.ExitCode);
        Assert.Equal("n2 via fence_ipmilan: off exited 1: ERROR: Connection timed out", off.Reason);
        Assert.True(clock.Elapsed < timeout, $"took {clock.Elapsed}");
    }
}
