using Xunit;
using static Palisade.Agents.Tests.FenceAgentConfigs;

namespace Palisade.Agents.Tests;

/// <summary>Options checked against the metadata of the real, installed fence agents; nothing is fenced here.</summary>
public sealed class FenceAgentOptionTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly ListLoggerFactory _loggers = new();
    private readonly TempDir _temp = new();

    public void Dispose() => _temp.Dispose();

    private Task<AgentResult> InitAsync(params (string Name, string Value)[] options) =>
        Agent("fence-agent", Timeout, options, _loggers).InitAsync(CancellationToken.None);

    /// <summary>fence_ipmilan options for a BMC that is never contacted.</summary>
    private static (string Name, string Value)[] Ipmilan => IpmilanOptions(623);

    [Fact]
    public async Task An_unknown_option_is_refused_with_the_near_names()
    {
        AgentResult init = await InitAsync(Ipmilan.With(("pasword", "x"), ("ip_port", "623")));

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal(
            "n2 via fence_ipmilan: fence_ipmilan has no option 'ip_port' (did you mean 'ipport'?); "
            + "fence_ipmilan has no option 'pasword' (did you mean 'password'?)",
            init.Reason);
    }

    [Fact]
    public async Task An_unknown_option_far_from_every_name_points_to_the_metadata()
    {
        AgentResult init = await InitAsync(Ipmilan.With(("colour", "red")));

        Assert.Equal("n2 via fence_ipmilan: fence_ipmilan has no option 'colour' (its options: fence_ipmilan -o metadata)", init.Reason);
    }

    [Fact]
    public async Task Legacy_names_the_metadata_lists_are_accepted()
    {
        AgentResult ipmilan = await InitAsync(Ipmilan.With(("ip", null), ("ipaddr", "10.0.0.9"), ("username", null), ("login", "op")));
        AgentResult vmware = await InitAsync(("agent", "fence_vmware_rest"), ("ipaddr", "vc.example"), ("login", "op"), ("passwd", "pw"));

        Assert.Equal(AgentOutcome.Success, ipmilan.Outcome);
        Assert.Equal(AgentOutcome.Success, vmware.Outcome);
    }

    [Fact]
    public async Task Missing_required_options_are_named_once_under_their_current_name()
    {
        AgentResult init = await InitAsync(("agent", "fence_vmware_rest"), ("password", "pw"));

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal(
            "n2 via fence_vmware_rest: fence_vmware_rest needs option 'ip': IP address or hostname of fencing device; "
            + "fence_vmware_rest needs option 'username': Login name",
            init.Reason);
    }

    [Fact]
    public async Task A_required_plug_is_given_by_the_node_name()
    {
        AgentResult aws = await InitAsync(("agent", "fence_aws"), ("region", "eu-west-1"));
        AgentResult named = await InitAsync(("agent", "fence_aws"), ("region", "eu-west-1"), ("plug", "i-0abc"));
        AgentResult legacyPort = await InitAsync(("agent", "fence_aws"), ("region", "eu-west-1"), ("port", "i-0abc"));

        Assert.Equal("n2 via fence_aws: /usr/sbin/fence_aws found, metadata read, options valid, plug 'n2'", aws.Reason);
        Assert.EndsWith(", plug 'i-0abc'", named.Reason, StringComparison.Ordinal);
        Assert.Equal("n2 via fence_aws: /usr/sbin/fence_aws found, metadata read, options valid", legacyPort.Reason);
    }

    [Fact]
    public async Task Values_are_checked_against_the_declared_kinds()
    {
        AgentResult init = await InitAsync(Ipmilan.With(("method", "bounce"), ("ipport", "six23"), ("password", "a\nb")));

        Assert.Equal(
            "n2 via fence_ipmilan: option 'ipport' of fence_ipmilan must be an integer, got 'six23'; "
            + "option 'method' of fence_ipmilan must be one of onoff, cycle, got 'bounce'; option 'password' must be on one line",
            init.Reason);
    }

    [Fact]
    public async Task Options_that_make_the_agent_exit_without_acting_are_refused()
    {
        AgentResult init = await InitAsync(Ipmilan.With(("help", "1")));

        Assert.Equal("n2 via fence_ipmilan: option 'help' is not allowed: it makes fence_ipmilan print and exit instead of acting", init.Reason);
    }

    [Fact]
    public async Task A_plug_for_an_agent_without_one_is_refused()
    {
        AgentResult init = await InitAsync(("agent", "fence_kdump"), ("plug", "n2"));

        Assert.Equal("n2 via fence_kdump: fence_kdump takes no plug (it has neither a plug nor a port option)", init.Reason);
    }

    [Fact]
    public async Task An_agent_without_a_status_action_cannot_confirm_off()
    {
        AgentResult off = await Agent("fence-agent", Timeout, [("agent", "fence_kdump")], _loggers).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, off.Outcome);
        Assert.Equal("n2 via fence_kdump: fence_kdump has no status action, so it cannot confirm power off", off.Reason);
    }

    [Fact]
    public async Task Password_file_problems_are_reported_without_reading_further()
    {
        string missing = _temp.File("absent.pw");
        string present = _temp.Write("bmc.pw", "pw\n");

        AgentResult unreadable = await InitAsync(Ipmilan.With(("password", null), ("password_file", missing)));
        AgentResult twice = await InitAsync(Ipmilan.With(("password", null), ("passwd", "pw"), ("password_file", present)));

        Assert.Equal(AgentOutcome.NotConfigured, unreadable.Outcome);
        Assert.StartsWith($"n2 via fence_ipmilan: cannot read password_file {missing}: ", unreadable.Reason, StringComparison.Ordinal);
        Assert.Equal("n2 via fence_ipmilan: give at most one of 'password_file' and 'passwd'", twice.Reason);
    }

    [Fact]
    public async Task The_agent_must_be_an_installed_executable()
    {
        string plainFile = _temp.Write("fence_plain", "#!/bin/sh\nexit 0\n");

        AgentResult missing = await InitAsync(("agent", "fence_nosuch"));
        AgentResult relative = await InitAsync(("agent", "sbin/fence_ipmilan"));
        AgentResult notExecutable = await InitAsync(("agent", plainFile));
        AgentResult directory = await InitAsync(("agent", _temp.Path));

        Assert.Equal("n2 via fence_nosuch: fence_nosuch is not installed (not found in /usr/sbin, /sbin or PATH)", missing.Reason);
        Assert.Equal("n2 via fence_ipmilan: agent 'sbin/fence_ipmilan' must be a plain name such as fence_ipmilan or an absolute path", relative.Reason);
        Assert.Equal($"n2 via fence_plain: {plainFile} is not executable", notExecutable.Reason);
        Assert.Equal($"n2 via {Path.GetFileName(_temp.Path)}: {_temp.Path} is a directory, not a fence agent", directory.Reason);
        Assert.All([missing, relative, notExecutable, directory], r => Assert.Equal(AgentOutcome.NotConfigured, r.Outcome));
    }

    [Fact]
    public async Task An_agent_whose_metadata_does_not_read_is_not_configured()
    {
        // /bin/false stands where an agent would be but answers "-o metadata" with exit 1.
        AgentResult init = await InitAsync(("agent", "/bin/false"));

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal("n2 via false: cannot read its metadata: false -o metadata exited 1", init.Reason);
    }

    [Fact]
    public async Task Metadata_is_read_once_per_agent_path()
    {
        // A private copy gives a path no other test has loaded yet.
        string copy = _temp.File("fence_virt");
        File.Copy("/usr/sbin/fence_virt", copy);
        File.SetUnixFileMode(copy, UnixFileMode.UserRead | UnixFileMode.UserExecute);

        AgentResult first = await InitAsync(("agent", copy), ("ipaddr", "127.0.0.1"));
        AgentResult second = await InitAsync(("agent", copy), ("ipaddr", "127.0.0.1"));

        Assert.Equal(AgentOutcome.Success, first.Outcome);
        Assert.Equal(AgentOutcome.Success, second.Outcome);
        Assert.Single(_loggers.Lines, l => l.Contains($"[3205] {copy}: metadata read", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metadata_of_fence_ipmilan_links_legacy_names_to_current_ones()
    {
        ProcessResult run = await FenceAgentProcess.RunMetadataAsync("/usr/sbin/fence_ipmilan", Timeout, CancellationToken.None);

        FenceAgentMetadata metadata = FenceAgentMetadata.Parse(run.StandardOutput);

        Assert.Equal("fence_ipmilan", metadata.Agent);
        Assert.Equal(["ip", "ipaddr"], metadata.SameAs("ipaddr"));
        Assert.Equal(["login", "username"], metadata.SameAs("username"));
        Assert.Equal(["ipport"], metadata.SameAs("ipport"));
        Assert.True(metadata.Parameters["ipaddr"].Deprecated);
        Assert.True(metadata.Parameters["action"].Required);
        Assert.Equal(["onoff", "cycle"], metadata.Parameters["method"].Choices.AsEnumerable());
        Assert.Superset(new HashSet<string> { "on", "off", "reboot", "status", "monitor" }, metadata.Actions.ToHashSet());
    }

    [Fact]
    public void Malformed_metadata_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => FenceAgentMetadata.Parse("<resource-agent><parameters>"));
        Assert.Throws<FormatException>(() => FenceAgentMetadata.Parse("<other/>"));
        Assert.Throws<FormatException>(() => FenceAgentMetadata.Parse("<!DOCTYPE x [<!ENTITY e \"v\">]><resource-agent><parameters/></resource-agent>"));
    }

    [Fact]
    public void Near_names_tolerate_typing_slips_and_separator_style()
    {
        string[] names = ["password", "passwd", "ipport", "power_timeout", "ip"];

        Assert.Equal(["power_timeout"], NearNames.Of("power-timeout", names));
        Assert.Equal(["power_timeout"], NearNames.Of("powre_timeout", names));
        Assert.Equal(["password"], NearNames.Of("pasword", names));
        Assert.Equal(["passwd", "password"], NearNames.Of("passwrd", names));
        Assert.Empty(NearNames.Of("colour", names));
        Assert.Equal("", NearNames.Hint("colour", names));
    }
}
