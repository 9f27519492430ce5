using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class RedfishShutdownAgentTests : IDisposable
{
    private static readonly ShutdownTarget Target = new("n2", 2, ["198.18.0.2"]);

    private readonly ListLoggerFactory _loggers = new();
    private readonly TempDir _temp = new();
    private readonly X509Certificate2 _authority;
    private readonly X509Certificate2 _issued;
    private readonly X509Certificate2 _selfSigned;
    private readonly string _authorityFile;

    public RedfishShutdownAgentTests()
    {
        (_authority, _issued) = TestCertificates.Issued();
        _selfSigned = TestCertificates.SelfSigned();
        _authorityFile = TestCertificates.WritePem(_temp, "authority.pem", _authority);
    }

    public void Dispose()
    {
        _authority.Dispose();
        _issued.Dispose();
        _selfSigned.Dispose();
        _temp.Dispose();
    }

    /// <summary>An agent for the BMC on 127.0.0.1:<paramref name="port"/>; by default it trusts the test authority.</summary>
    private IShutdownAgent Agent(int port, TimeSpan timeout, string type = "redfish", params (string Name, string? Value)[] overrides)
    {
        var parameters = new Dictionary<string, string>
        {
            ["address"] = "127.0.0.1",
            ["port"] = port.ToString(CultureInfo.InvariantCulture),
            ["user"] = RedfishServer.User,
            ["password"] = RedfishServer.Password,
            ["ca_file"] = _authorityFile,
        };
        foreach ((string name, string? value) in overrides)
        {
            parameters.Remove(name == "password_file" ? "password" : name);
            if (value is not null)
            {
                parameters[name] = value;
            }
        }

        var config = new ShutdownAgentConfig { Type = type, Timeout = timeout, Parameters = parameters.ToImmutableSortedDictionary() };
        return ShutdownAgentFactory.Create(config, Target, new ShutdownAgentServices(_loggers, TimeProvider.System));
    }

    private static string Endpoint(int port) => $@"n2 via redfish 127\.0\.0\.1:{port}";

    [Fact]
    public async Task Kill_posts_force_off_and_succeeds_once_power_state_reads_off()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued);
        IShutdownAgent agent = Agent(bmc.Port, TimeSpan.FromSeconds(10));

        AgentResult kill = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, kill.Outcome);
        Assert.Matches($@"^{Endpoint(bmc.Port)}: confirmed off after [\d.]+m?s$", kill.Reason);
        Assert.Equal("Off", bmc.PowerOf("1"));
        Assert.Equal(
            [
                "GET /redfish/v1/Systems",
                "GET /redfish/v1/Systems/1",
                "POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset ForceOff",
                "GET /redfish/v1/Systems/1",
                "GET /redfish/v1/Systems/1",
                "GET /redfish/v1/Systems/1",
            ],
            bmc.Requests);
        Assert.Null(kill.ExitCode);
        Assert.Equal("redfish", agent.Type);
    }

    [Fact]
    public async Task Kill_of_a_system_already_off_succeeds_without_a_reset()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, initialPower: "Off");

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("system", "/redfish/v1/Systems/1/")).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, kill.Outcome);
        Assert.Matches($"^{Endpoint(bmc.Port)}: already off$", kill.Reason);
        Assert.Equal(["GET /redfish/v1/Systems/1"], bmc.Requests);
    }

    [Fact]
    public async Task Cycle_confirms_off_then_powers_on_and_the_power_switch_reads_it()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, configure: s => s.ResetStatus = 202);
        IShutdownAgent agent = Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("method", "cycle"));

        AgentResult kill = await agent.KillAsync(CancellationToken.None);
        (AgentResult status, PowerState state) = await ((IPowerSwitch)agent).PowerStatusAsync(CancellationToken.None);

        Assert.Matches($@"^{Endpoint(bmc.Port)}: confirmed off after [\d.]+m?s; then power on: Success$", kill.Reason);
        Assert.Contains("POST /redfish/v1/Systems/1/Actions/ComputerSystem.Reset On", bmc.Requests);
        Assert.Equal("On", bmc.PowerOf("1"));
        Assert.Equal((AgentOutcome.Success, PowerState.On), (status.Outcome, state));
        Assert.Matches($"^{Endpoint(bmc.Port)}: power is on$", status.Reason);
    }

    [Fact]
    public async Task Test_reads_power_state_and_power_on_brings_an_off_system_back()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, initialPower: "Off");
        IShutdownAgent agent = Agent(bmc.Port, TimeSpan.FromSeconds(10));

        AgentResult test = await agent.TestAsync(CancellationToken.None);
        AgentResult on = await ((IPowerSwitch)agent).PowerOnAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Matches($"^{Endpoint(bmc.Port)}: power is off$", test.Reason);
        Assert.Equal(AgentOutcome.Success, on.Outcome);
        Assert.Matches($@"^{Endpoint(bmc.Port)}: confirmed on after [\d.]+m?s$", on.Reason);
        Assert.Equal("On", bmc.PowerOf("1"));
    }

    [Fact]
    public async Task Wrong_password_fails_with_401_and_never_shows_the_password()
    {
        const string wrong = "wr0ng-Rf-Secret";
        string passwordFile = _temp.Write("password", wrong + "\n");
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued);
        IShutdownAgent agent = Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("password_file", passwordFile));

        AgentResult kill = await agent.KillAsync(CancellationToken.None);
        AgentResult test = await agent.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches($"^{Endpoint(bmc.Port)}: GET /redfish/v1/Systems -> 401 Unauthorized: Invalid username or password$", kill.Reason);
        Assert.Equal(AgentOutcome.Failed, test.Outcome);
        Assert.Equal("On", bmc.PowerOf("1"));
        Assert.DoesNotContain(bmc.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
        Assert.Contains("InsufficientPrivilege", kill.OutputExcerpt, StringComparison.Ordinal);
        Assert.NotEmpty(_loggers.Lines);
        Assert.All(
            [kill.Reason, kill.OutputExcerpt, test.Reason, .. _loggers.Lines],
            text => Assert.DoesNotContain(wrong, text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Default_verification_refuses_a_self_signed_certificate_and_names_the_problem()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_selfSigned);

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("ca_file", null)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches(
            $@"^{Endpoint(bmc.Port)}: GET /redfish/v1/Systems: TLS: the BMC's certificate is not trusted \(.*UntrustedRoot.*\); give its authority in ca_file",
            kill.Reason);
        Assert.Empty(bmc.Requests);
        Assert.Equal("On", bmc.PowerOf("1"));
    }

    [Fact]
    public async Task A_ca_file_trusts_the_self_signed_certificate_it_holds_and_refuses_others()
    {
        string selfSignedFile = TestCertificates.WritePem(_temp, "bmc.pem", _selfSigned);
        await using RedfishServer bmc = await RedfishServer.StartAsync(_selfSigned);
        await using RedfishServer other = await RedfishServer.StartAsync(_issued);

        AgentResult trusted = await Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("ca_file", selfSignedFile)).KillAsync(CancellationToken.None);
        AgentResult refused = await Agent(other.Port, TimeSpan.FromSeconds(10), "redfish", ("ca_file", selfSignedFile)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, trusted.Outcome);
        Assert.Equal("Off", bmc.PowerOf("1"));
        Assert.Equal(AgentOutcome.Failed, refused.Outcome);
        Assert.Matches(
            $@"^{Endpoint(other.Port)}: GET /redfish/v1/Systems: TLS: the BMC's certificate is not issued by the authority in ca_file {selfSignedFile} \(.+\)$",
            refused.Reason);
        Assert.Equal("On", other.PowerOf("1"));
    }

    [Fact]
    public async Task Verification_off_accepts_any_certificate_and_warns_once()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_selfSigned);
        IShutdownAgent agent = Agent(bmc.Port, TimeSpan.FromSeconds(10), "redfish", ("ca_file", null), ("verify_tls", "false"));

        AgentResult init = await agent.InitAsync(CancellationToken.None);
        AgentResult test = await agent.TestAsync(CancellationToken.None);
        AgentResult kill = await agent.KillAsync(CancellationToken.None);

        Assert.Matches($"^{Endpoint(bmc.Port)}: password readable, TLS verification off$", init.Reason);
        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Equal(AgentOutcome.Success, kill.Outcome);
        Assert.Single(_loggers.Lines, l => l.Contains("[3252]", StringComparison.Ordinal) && l.Contains($"127.0.0.1:{bmc.Port}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_checks_the_password_and_authority_file_without_contacting_the_bmc()
    {
        int port = ClosedPort();
        IShutdownAgent agent = Agent(port, TimeSpan.FromSeconds(5));
        IShutdownAgent missingAuthority = Agent(port, TimeSpan.FromSeconds(5), "redfish", ("ca_file", _temp.File("absent.pem")));
        IShutdownAgent notPem = Agent(port, TimeSpan.FromSeconds(5), "redfish", ("ca_file", _temp.Write("empty.pem", "no certificate here\n")));

        AgentResult ok = await agent.InitAsync(CancellationToken.None);
        AgentResult missing = await missingAuthority.InitAsync(CancellationToken.None);
        AgentResult empty = await notPem.InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, ok.Outcome);
        Assert.Matches($"^{Endpoint(port)}: password readable, TLS verified against {_authorityFile}$", ok.Reason);
        Assert.Equal(AgentOutcome.NotConfigured, missing.Outcome);
        Assert.Contains($"cannot read ca_file {_temp.File("absent.pem")}", missing.Reason, StringComparison.Ordinal);
        Assert.Equal(AgentOutcome.NotConfigured, empty.Outcome);
        Assert.EndsWith("holds no PEM certificate", empty.Reason, StringComparison.Ordinal);
        Assert.Contains("redfish", ShutdownAgentFactory.SupportedTypes);
        Assert.Contains("irmc", ShutdownAgentFactory.SupportedTypes);
    }

    [Fact]
    public async Task A_closed_port_fails_at_once_with_connection_refused()
    {
        int port = ClosedPort();

        AgentResult kill = await Agent(port, TimeSpan.FromSeconds(5)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches($"^{Endpoint(port)}: GET /redfish/v1/Systems: connection refused$", kill.Reason);
        Assert.True(kill.Duration < TimeSpan.FromSeconds(5), $"took {kill.Duration}");
    }

    [Fact]
    public async Task A_bmc_that_accepts_connections_but_never_answers_times_out_within_the_timeout()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        int port = ((IPEndPoint)silent.LocalEndpoint).Port;

        AgentResult kill = await Agent(port, TimeSpan.FromMilliseconds(1500)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.TimedOut, kill.Outcome);
        Assert.True(Regex.IsMatch(kill.Reason, $@"^{Endpoint(port)}: GET /redfish/v1/Systems timed out after [12](\.\d+)?s$"), kill.Reason);
        Assert.InRange(kill.Duration, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(3));
    }

    [Fact]
    public async Task A_system_that_never_turns_off_times_out_within_the_timeout()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, configure: s => s.TurnsOff = false);

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromMilliseconds(1500)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.TimedOut, kill.Outcome);
        Assert.Matches($@"^{Endpoint(bmc.Port)}: off not confirmed within 1\.5s: power is still on$", kill.Reason);
        Assert.InRange(kill.Duration, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(3));
        Assert.True(bmc.Requests.Count(r => r == "GET /redfish/v1/Systems/1") >= 4, string.Join(", ", bmc.Requests));
    }

    [Fact]
    public async Task Two_systems_without_a_system_parameter_is_a_clear_error()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, systemIds: ["1", "2"]);

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromSeconds(5)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches(
            $"^{Endpoint(bmc.Port)}: /redfish/v1/Systems lists 2 systems \\(/redfish/v1/Systems/1, /redfish/v1/Systems/2\\); set 'system' to the one of n2$",
            kill.Reason);
        Assert.Equal(["On", "On"], [bmc.PowerOf("1"), bmc.PowerOf("2")]);
    }

    [Fact]
    public async Task Irmc_uses_system_0_without_discovery()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, systemIds: ["0", "1"]);

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromSeconds(10), "irmc").KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, kill.Outcome);
        Assert.Matches($@"^n2 via irmc 127\.0\.0\.1:{bmc.Port}: confirmed off after [\d.]+m?s$", kill.Reason);
        Assert.Equal(["Off", "On"], [bmc.PowerOf("0"), bmc.PowerOf("1")]);
        Assert.DoesNotContain("GET /redfish/v1/Systems", bmc.Requests);
    }

    [Fact]
    public async Task A_reset_without_force_off_is_refused_naming_the_allowed_types()
    {
        await using RedfishServer bmc = await RedfishServer.StartAsync(_issued, configure: s => s.AllowedResetTypes = ["On", "GracefulShutdown"]);

        AgentResult kill = await Agent(bmc.Port, TimeSpan.FromSeconds(5)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, kill.Outcome);
        Assert.Matches(
            $"^{Endpoint(bmc.Port)}: /redfish/v1/Systems/1/Actions/ComputerSystem.Reset does not offer ResetType ForceOff \\(allowed: On, GracefulShutdown\\)$",
            kill.Reason);
        Assert.DoesNotContain(bmc.Requests, r => r.StartsWith("POST", StringComparison.Ordinal));
    }

    /// <summary>A loopback port nothing listens on (bound, then released).</summary>
    private static int ClosedPort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
