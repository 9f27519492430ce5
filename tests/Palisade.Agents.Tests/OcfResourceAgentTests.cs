using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class OcfResourceAgentTests : IDisposable
{
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private static ResourceConfig Resource(string agent, params (string Name, string Value)[] parameters) => new()
    {
        Name = "res1",
        Kind = ResourceKind.Ocf,
        Agent = agent,
        Parameters = parameters.ToImmutableSortedDictionary(p => p.Name, p => p.Value),
        StartTimeout = TimeSpan.FromSeconds(20),
        StopTimeout = TimeSpan.FromSeconds(20),
        MonitorTimeout = TimeSpan.FromSeconds(20),
    };

    private static IResourceAgent Create(ResourceConfig resource) =>
        ResourceAgentFactory.Create(resource, "g1", "n1", new StartMarkers(Path.Combine(Path.GetTempPath(), "palisade-unused-markers")), NullLoggerFactory.Instance);

    [Fact]
    public async Task Dummy_agent_full_lifecycle()
    {
        string state = _temp.File("dummy.state");
        IResourceAgent agent = Create(Resource("heartbeat:Dummy", ("state", state)));

        AgentResult probe = await agent.MonitorAsync(CancellationToken.None);
        AgentResult start = await agent.StartAsync(CancellationToken.None);
        bool stateAfterStart = File.Exists(state);
        AgentResult running = await agent.MonitorAsync(CancellationToken.None);
        AgentResult stop = await agent.StopAsync(CancellationToken.None);
        AgentResult stopped = await agent.MonitorAsync(CancellationToken.None);
        AgentResult stopAgain = await agent.StopAsync(CancellationToken.None);

        Assert.IsType<OcfResourceAgent>(agent);
        Assert.Equal((AgentOutcome.NotRunning, 7, "Dummy monitor exited 7 (OCF_NOT_RUNNING)"), (probe.Outcome, probe.ExitCode, probe.Reason));
        Assert.Equal((AgentOutcome.Success, 0, "Dummy start returned 0 (OCF_SUCCESS)"), (start.Outcome, start.ExitCode, start.Reason));
        Assert.True(stateAfterStart);
        Assert.Equal((AgentOutcome.Success, 0), (running.Outcome, running.ExitCode));
        Assert.Equal((AgentOutcome.Success, 0), (stop.Outcome, stop.ExitCode));
        Assert.False(File.Exists(state));
        Assert.Equal((AgentOutcome.NotRunning, 7), (stopped.Outcome, stopped.ExitCode));
        Assert.Equal(AgentOutcome.Success, stopAgain.Outcome);
    }

    [Fact]
    public async Task Missing_agent_is_not_configured()
    {
        var agent = (OcfResourceAgent)Create(Resource("heartbeat:PalisadeNoSuchAgent"));

        AgentResult start = await agent.StartAsync(CancellationToken.None);
        AgentResult monitor = await agent.MonitorAsync(CancellationToken.None);

        string expected = "res1: OCF agent ocf:heartbeat:PalisadeNoSuchAgent is not installed " +
            "(/usr/lib/ocf/resource.d/heartbeat/PalisadeNoSuchAgent does not exist)";
        Assert.Equal(new AgentResult(AgentOutcome.NotConfigured, null, expected, "", TimeSpan.Zero), start);
        Assert.Equal(AgentOutcome.NotConfigured, monitor.Outcome);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.MetaDataAsync());
        Assert.Equal(expected, error.Message);
    }

    [Theory]
    [InlineData("Dummy")]
    [InlineData("heartbeat:..")]
    [InlineData("../../bin:sh")]
    [InlineData("a:b:c")]
    public async Task Malformed_agent_name_is_not_configured(string agentName)
    {
        AgentResult result = await Create(Resource(agentName)).StartAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, result.Outcome);
        Assert.Equal($"res1: OCF agent must be written provider:type, got '{agentName}'", result.Reason);
    }

    [Fact]
    public async Task Parameter_that_cannot_be_an_environment_name_is_not_configured()
    {
        AgentResult result = await Create(Resource("heartbeat:Dummy", ("bad-name", "x"))).StartAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, result.Outcome);
        Assert.Equal("res1: parameter name 'bad-name' cannot become OCF_RESKEY_bad-name", result.Reason);
    }

    [Fact]
    public async Task Unwritable_state_gives_ocf_err_generic_with_the_cause()
    {
        string state = Path.Combine(_temp.Path, "missing-dir", "dummy.state");

        AgentResult result = await Create(Resource("heartbeat:Dummy", ("state", state))).StartAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"Dummy start exited 1 (OCF_ERR_GENERIC): touch: cannot touch '{state}': No such file or directory", result.Reason);
    }

    [Fact]
    public async Task Missing_required_parameter_gives_ocf_err_configured_with_the_agents_own_reason()
    {
        // IPaddr2 validates before touching anything; without "ip" it only complains.
        AgentResult result = await Create(Resource("heartbeat:IPaddr2")).MonitorAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, result.Outcome);
        Assert.Equal(6, result.ExitCode);
        Assert.Equal("IPaddr2 monitor exited 6 (OCF_ERR_CONFIGURED): IP address (the ip parameter) is mandatory", result.Reason);
        Assert.Contains("ocf-exit-reason:IP address (the ip parameter) is mandatory", result.OutputExcerpt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Meta_data_is_the_agents_xml()
    {
        var agent = (OcfResourceAgent)Create(Resource("heartbeat:Dummy"));

        string xml = await agent.MetaDataAsync();

        Assert.Contains("<resource-agent name=\"Dummy\"", xml, StringComparison.Ordinal);
        Assert.Contains("<parameter name=\"state\"", xml, StringComparison.Ordinal);
        Assert.Equal(("heartbeat", "Dummy", "/usr/lib/ocf/resource.d/heartbeat/Dummy"), (agent.Provider, agent.Type, agent.AgentPath));
    }

    [Fact]
    public async Task Agent_receives_the_ocf_environment_and_exit_codes_map_by_name()
    {
        string root = _temp.Path;
        Directory.CreateDirectory(Path.Combine(root, "resource.d", "palisade"));
        string envFile = _temp.File("env.txt");
        _temp.Write("resource.d/palisade/probe", $$"""
            #!/bin/sh
            env | grep -E '^(OCF_|HA_)' | sort > {{envFile}}
            case "$1" in
              start) exit 0 ;;
              stop) exit 7 ;;
              monitor) sleep 30 ;;
              *) echo "unexpected $1" >&2; exit 3 ;;
            esac
            """, executable: true);
        var resource = Resource("palisade:probe", ("ip", "198.51.100.7"), ("nic", "eth9")) with
        {
            StartTimeout = TimeSpan.FromMilliseconds(1500),
            MonitorTimeout = TimeSpan.FromMilliseconds(300),
        };
        var agent = new OcfResourceAgent(resource, "n1", root, NullLogger.Instance);

        AgentResult start = await agent.StartAsync(CancellationToken.None);
        string[] environment = File.ReadAllLines(envFile);
        AgentResult stop = await agent.StopAsync(CancellationToken.None);
        AgentResult monitor = await agent.MonitorAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, start.Outcome);
        Assert.Equal(
            [
                "OCF_RA_VERSION_MAJOR=1", "OCF_RA_VERSION_MINOR=0",
                "OCF_RESKEY_CRM_meta_on_node=n1", "OCF_RESKEY_CRM_meta_timeout=1500",
                "OCF_RESKEY_ip=198.51.100.7", "OCF_RESKEY_nic=eth9",
                "OCF_RESOURCE_INSTANCE=res1", "OCF_RESOURCE_PROVIDER=palisade", "OCF_RESOURCE_TYPE=probe",
                $"OCF_ROOT={root}",
            ],
            environment);
        Assert.Equal((AgentOutcome.Success, 7, "probe stop exited 7 (OCF_NOT_RUNNING)"), (stop.Outcome, stop.ExitCode, stop.Reason));
        Assert.Equal((AgentOutcome.TimedOut, (int?)null, "probe monitor timed out after 300ms"), (monitor.Outcome, monitor.ExitCode, monitor.Reason));
    }

    [Fact]
    public async Task Ocf_root_can_be_overridden_through_the_environment()
    {
        string? previous = Environment.GetEnvironmentVariable(ResourceAgentFactory.OcfRootVariable);
        Environment.SetEnvironmentVariable(ResourceAgentFactory.OcfRootVariable, _temp.Path);
        try
        {
            var agent = (OcfResourceAgent)Create(Resource("heartbeat:Dummy"));
            AgentResult result = await agent.MonitorAsync(CancellationToken.None);

            Assert.Equal(Path.Combine(_temp.Path, "resource.d", "heartbeat", "Dummy"), agent.AgentPath);
            Assert.Equal(AgentOutcome.NotConfigured, result.Outcome);
        }
        finally
        {
            Environment.SetEnvironmentVariable(ResourceAgentFactory.OcfRootVariable, previous);
        }
    }
}
