using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class ShutdownAgentFactoryTests
{
    private static readonly NodeConfig Target = new() { Name = "n3", Id = 3, Interconnect = ["198.18.0.3"] };

    private static ShutdownAgentConfig Config(string type, params (string Name, string Value)[] parameters) => new()
    {
        Type = type,
        Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value),
    };

    [Fact]
    public void Ipmi_parameters_are_declared_once_with_defaults_and_secrecy()
    {
        IReadOnlyList<AgentParameterInfo> parameters = ShutdownAgentFactory.DescribeParameters("IPMI");

        Assert.Equal(["address", "port", "user", "password", "password_file", "cipher", "privilege", "method"], parameters.Select(p => p.Name));
        Assert.Equal("onoff", parameters.Single(p => p.Name == "method").Default);
        Assert.Equal(["password"], parameters.Where(p => p.Secret).Select(p => p.Name));
        Assert.Equal(["address", "user"], parameters.Where(p => p.Required).Select(p => p.Name));
        Assert.Equal("3", parameters.Single(p => p.Name == "cipher").Default);
        Assert.Equal(["ipmi"], ShutdownAgentFactory.SupportedTypes);
        Assert.Throws<ArgumentException>(() => ShutdownAgentFactory.DescribeParameters("pdu"));
    }

    [Fact]
    public void Validation_lists_every_problem_without_secret_values()
    {
        IReadOnlyList<string> problems = ShutdownAgentFactory.Validate(
            Config("ipmi", ("port", "70000"), ("privilege", "root"), ("colour", "red"), ("cipher", "x")));

        Assert.Equal(
            [
                "unknown parameter 'colour' (known: address, port, user, password, password_file, cipher, privilege, method)",
                "parameter 'address' is required: BMC host name or IP address",
                "parameter 'user' is required: BMC user name",
                "parameter 'cipher' must be a non-negative integer, got 'x'",
                "parameter 'privilege' must be one of CALLBACK, USER, OPERATOR, ADMINISTRATOR, got 'root'",
                "give exactly one of 'password' and 'password_file'",
            ],
            problems);
        Assert.Equal(
            ["parameter 'port' must be 1..65535, got 70000"],
            ShutdownAgentFactory.Validate(Config("ipmi", ("address", "bmc"), ("user", "u"), ("password", "p"), ("port", "70000"))));
        Assert.Empty(ShutdownAgentFactory.Validate(Config("ipmi", ("address", "bmc"), ("user", "u"), ("password_file", "/x"))));
    }

    [Fact]
    public void Ipmitool_arguments_carry_no_password()
    {
        (IpmiSettings? settings, IReadOnlyList<string> problems) = IpmiSettings.Parse(new Dictionary<string, string>
        {
            ["address"] = "10.0.0.9",
            ["user"] = "op",
            ["password"] = "pw-Zq81",
            ["privilege"] = "operator",
        });

        Assert.Empty(problems);
        Assert.NotNull(settings);
        Assert.Equal(
            ["-I", "lanplus", "-H", "10.0.0.9", "-p", "623", "-U", "op", "-C", "3", "-L", "OPERATOR", "-E"],
            settings.SessionArguments);
        Assert.Equal("ipmi 10.0.0.9:623 user op", settings.ToString());
    }

    [Fact]
    public async Task Invalid_or_unknown_agents_answer_not_configured()
    {
        IShutdownAgent invalid = ShutdownAgentFactory.Create(Config("ipmi", ("address", "bmc"), ("user", "u")), Target, NullLoggerFactory.Instance, TimeProvider.System);
        IShutdownAgent unknown = ShutdownAgentFactory.Create(Config("pdu"), Target, NullLoggerFactory.Instance, TimeProvider.System);

        AgentResult off = await invalid.PowerOffAsync(CancellationToken.None);
        (AgentResult status, PowerState state) = await unknown.PowerStatusAsync(CancellationToken.None);

        Assert.Equal(
            new AgentResult(AgentOutcome.NotConfigured, null, "n3: shutdown agent ipmi: give exactly one of 'password' and 'password_file'", "", TimeSpan.Zero),
            off);
        Assert.Equal((AgentOutcome.NotConfigured, PowerState.Unknown), (status.Outcome, state));
        Assert.Equal("n3: shutdown agent pdu: unknown shutdown agent type 'pdu' (known: ipmi)", status.Reason);
        Assert.Equal("pdu", unknown.Type);
    }
}
