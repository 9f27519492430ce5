using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class ShutdownAgentFactoryTests
{
    private static readonly ShutdownTarget Target = new("n3", 3, ["198.18.0.3"]);
    private static readonly ShutdownAgentServices Services = new(NullLoggerFactory.Instance, TimeProvider.System);

    private static ShutdownAgentConfig Config(string type, params (string Name, string Value)[] parameters) => new()
    {
        Type = type,
        Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value),
    };

    [Fact]
    public void Ipmi_parameters_are_declared_once_with_defaults_and_secrecy()
    {
        AgentTypeSpec ipmi = ShutdownAgentCatalog.Find("IPMI")!;

        Assert.Equal(["address", "port", "user", "password", "password_file", "cipher", "privilege", "method"], ipmi.Parameters.Select(p => p.Name));
        Assert.Equal("onoff", ipmi.Find("method")!.Default);
        Assert.Equal(["password"], ipmi.Parameters.Where(p => p.Secret).Select(p => p.Name));
        Assert.Equal(["address", "user"], ipmi.Parameters.Where(p => p.Required).Select(p => p.Name));
        Assert.Equal("3", ipmi.Find("cipher")!.Default);
        Assert.Contains("ipmi", ShutdownAgentFactory.SupportedTypes);
        Assert.Null(ShutdownAgentCatalog.Find("pdu"));
    }

    [Fact]
    public void Validation_lists_every_problem_without_secret_values()
    {
        IReadOnlyList<string> problems = ShutdownAgentFactory.Validate(
            Config("ipmi", ("port", "70000"), ("privilege", "root"), ("colour", "red"), ("cipher", "x")));

        Assert.Equal(
            [
                "unknown parameter 'colour' (known: address, port, user, password, password_file, cipher, privilege, method)",
                "parameter 'address' is required: BMC address or host name",
                "parameter 'port' must be 1..65535, got 70000",
                "parameter 'user' is required: BMC user name",
                "parameter 'cipher' must be an integer, got 'x'",
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
        var parameters = new AgentParameters(ShutdownAgentCatalog.Ipmi, new Dictionary<string, string>
        {
            ["address"] = "10.0.0.9",
            ["user"] = "op",
            ["password"] = "pw-Zq81",
            ["privilege"] = "operator",
        });

        Assert.Empty(parameters.Validate());
        IpmiSettings settings = IpmiSettings.From(parameters);
        Assert.Equal(
            ["-I", "lanplus", "-H", "10.0.0.9", "-p", "623", "-U", "op", "-C", "3", "-L", "OPERATOR", "-E"],
            settings.SessionArguments);
        Assert.Equal("ipmi 10.0.0.9:623 user op", settings.ToString());
    }

    [Fact]
    public async Task Invalid_or_unknown_agents_answer_not_configured()
    {
        IShutdownAgent invalid = ShutdownAgentFactory.Create(Config("ipmi", ("address", "bmc"), ("user", "u")), Target, Services);
        IShutdownAgent unknown = ShutdownAgentFactory.Create(Config("pdu"), Target, Services);

        AgentResult off = await invalid.KillAsync(CancellationToken.None);
        AgentResult status = await unknown.TestAsync(CancellationToken.None);

        Assert.Equal(
            new AgentResult(AgentOutcome.NotConfigured, null, "n3: shutdown agent ipmi: give exactly one of 'password' and 'password_file'", "", TimeSpan.Zero),
            off);
        Assert.Equal(AgentOutcome.NotConfigured, status.Outcome);
        Assert.Equal("n3: shutdown agent pdu: unknown shutdown agent type 'pdu' (known: " + string.Join(", ", ShutdownAgentFactory.SupportedTypes) + ")", status.Reason);
        Assert.Equal("pdu", unknown.Type);
    }
}
