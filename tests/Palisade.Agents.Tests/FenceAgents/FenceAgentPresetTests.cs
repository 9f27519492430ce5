using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Shutdown;
using Xunit;
using static Palisade.Agents.Tests.FenceAgentConfigs;

namespace Palisade.Agents.Tests;

/// <summary>The presets over ClusterLabs agents (aws, azure, gce, openstack, vmware, libvirt), with the agents installed here.</summary>
public sealed class FenceAgentPresetTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private static readonly string[] PresetTypes = [.. ShutdownAgentCatalog.All.Where(a => a.FenceAgent is not null).Select(a => a.Type)];

    public static TheoryData<string> Presets() => new(PresetTypes);

    [Fact]
    public void Every_preset_and_the_generic_type_are_supported()
    {
        Assert.Equal(["libvirt", "aws", "azure", "gce", "openstack", "vmware"], PresetTypes);
        Assert.Contains("fence-agent", ShutdownAgentFactory.SupportedTypes);
        Assert.All(PresetTypes, type => Assert.Contains(type, ShutdownAgentFactory.SupportedTypes));
        Assert.Equal("fence_virt", ShutdownAgentCatalog.Find("libvirt")!.FenceAgent);
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task The_presets_agent_is_installed_and_its_metadata_loads(string type)
    {
        string agent = ShutdownAgentCatalog.Find(type)!.FenceAgent!;

        (string? path, string problem) = FenceAgentLocator.Find(agent);
        MetadataLoad load = await FenceAgentMetadataCache.GetAsync(path ?? agent, Timeout, NullLogger.Instance, TimeProvider.System, CancellationToken.None);

        Assert.Equal(("/usr/sbin/" + agent, ""), (path, problem));
        Assert.Equal("", load.Problem);
        Assert.Equal(agent, load.Metadata!.Agent);
        Assert.Superset(new HashSet<string> { "off", "on", "status", "monitor" }, load.Metadata.Actions.ToHashSet());
        Assert.True(load.Metadata.Takes("plug"), $"{agent} has no plug");
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task A_bogus_option_is_refused_at_init_by_name(string type)
    {
        string agent = ShutdownAgentCatalog.Find(type)!.FenceAgent!;
        var loggers = new ListLoggerFactory();

        AgentResult init = await Agent(type, Timeout, [("plug", "vm-1"), ("bogus_option", "1")], loggers).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.StartsWith($"n2 via {agent}: ", init.Reason, StringComparison.Ordinal);
        Assert.Contains($"{agent} has no option 'bogus_option'", init.Reason, StringComparison.Ordinal);
        Assert.Contains(loggers.Lines, l => l.Contains("[3204]", StringComparison.Ordinal) && l.Contains("bogus_option", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Presets))]
    public async Task A_preset_given_an_agent_is_refused_by_validation(string type)
    {
        string agent = ShutdownAgentCatalog.Find(type)!.FenceAgent!;
        var config = Config(type, Timeout, [("agent", "fence_ipmilan")]);

        IReadOnlyList<string> problems = ShutdownAgentFactory.Validate(config);
        AgentResult init = await ShutdownAgentFactory.Create(config, Target, new ShutdownAgentServices(NullLoggerFactory.Instance, TimeProvider.System))
            .InitAsync(CancellationToken.None);

        Assert.Equal([$"unknown parameter 'agent' (known: plug, action, password_file; type {type} always runs {agent})"], problems);
        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal($"n2: shutdown agent {type}: {problems[0]}", init.Reason);
    }

    [Fact]
    public void The_generic_type_needs_an_agent_and_passes_other_keys_through()
    {
        Assert.Equal(
            ["parameter 'agent' is required: the fence agent: a name such as fence_ipmilan (looked up in /usr/sbin, /sbin, PATH) or an absolute path"],
            ShutdownAgentFactory.Validate(Config("fence-agent", Timeout, [("ip", "10.0.0.9")])));
        Assert.Equal(
            ["parameter 'action' must be one of off, reboot, got 'on'"],
            ShutdownAgentFactory.Validate(Config("fence-agent", Timeout, [("agent", "fence_ipmilan"), ("action", "on")])));
        Assert.Equal(
            ["give at most one of 'password' and 'password_file'"],
            ShutdownAgentFactory.Validate(Config("aws", Timeout, [("password", "p"), ("password_file", "/p")])));
        Assert.Empty(ShutdownAgentFactory.Validate(Config("vmware", Timeout, [("ip", "vc"), ("username", "u"), ("ssl_insecure", "1")])));
    }
}
