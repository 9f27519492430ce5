using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>
/// The plug checked against fence_virt's list, with the real fence_virt and fence_virtd on libvirt's test driver,
/// whose status answers "off" for a domain it does not know.
/// </summary>
[Collection(FenceVirtd.Collection)]
public sealed class LibvirtPlugCheckTests : IDisposable
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

    /// <summary>The generic type on a script that runs the real fence_virt for everything but list, which runs <paramref name="listScript"/>.</summary>
    private IShutdownAgent WrappedAgent(FenceVirtd daemon, string name, string listScript, TimeSpan timeout)
    {
        string wrapper = _temp.Write(name, $$"""
            #!/bin/sh
            [ "$1" = "-o" ] && exec /usr/sbin/fence_virt "$@"
            input=$(cat)
            case "$input" in
            action=list*) {{listScript}} ;;
            esac
            printf '%s\n' "$input" | /usr/sbin/fence_virt
            """, executable: true);
        (string Name, string Value)[] options = [("agent", wrapper), ("plug", FenceVirtd.Domain), .. daemon.ClientOptions];
        return FenceAgentConfigs.Agent("fence-agent", timeout, options, _loggers);
    }

    private bool Logged(int eventId, string text) =>
        _loggers.Lines.Any(l => l.Contains($"[{eventId}]", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_mistyped_plug_fails_the_kill_and_the_domain_keeps_running()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        ProcessResult unknownStatus = await daemon.FenceVirtAsync("status", plug: "tset");

        AgentResult off = await Agent(daemon, ("plug", "tset")).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        // The hole being closed: fence_virtd calls the unknown domain off.
        Assert.Equal(2, unknownStatus.ExitCode);
        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal("n2 via fence_virt: plug 'tset' is not known to the agent (it lists: test)", off.Reason);
        Assert.StartsWith("stdout: test ", off.OutputExcerpt, StringComparison.Ordinal);
        Assert.Equal(0, status.ExitCode);
        Assert.Equal("Status: ON", status.StandardOutput.Trim());
        Assert.True(Logged(3207, "does not list plug 'tset'; refusing to power off"));
        Assert.DoesNotContain(_loggers.Lines, l => l.Contains("action=off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mistyped_plug_fails_the_test()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult test = await Agent(daemon, ("plug", "tset")).TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, test.Outcome);
        Assert.Equal("n2 via fence_virt: plug 'tset' is not known to the agent (it lists: test)", test.Reason);
        Assert.True(Logged(3207, "refusing to test"));
    }

    [Fact]
    public async Task Without_a_plug_the_node_name_is_checked_and_refused_when_unknown()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult off = await FenceAgentConfigs.Agent("libvirt", Timeout, daemon.ClientOptions, _loggers).KillAsync(CancellationToken.None);
        AgentResult reboot = await Agent(daemon, ("plug", null), ("action", "reboot")).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal("n2 via fence_virt: plug 'n2' is not known to the agent (it lists: test)", off.Reason);
        Assert.Equal((AgentOutcome.Failed, off.Reason), (reboot.Outcome, reboot.Reason));
        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task The_operators_own_port_is_checked_too()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult off = await Agent(daemon, ("plug", null), ("port", "tset")).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Failed, off.Outcome);
        Assert.Equal("n2 via fence_virt: plug 'tset' is not known to the agent (it lists: test)", off.Reason);
        Assert.Equal(0, status.ExitCode);
    }

    [Fact]
    public async Task The_correct_plug_is_listed_then_killed_and_the_domains_uuid_works_as_well()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        string uuid = (await daemon.FenceVirtAsync("list")).StandardOutput.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];

        AgentResult test = await Agent(daemon).TestAsync(CancellationToken.None);
        AgentResult offByUuid = await Agent(daemon, ("plug", uuid)).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", uuid);
        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Equal(AgentOutcome.Success, offByUuid.Outcome);
        Assert.Matches(@"^n2 via fence_virt: confirmed off after [\d.]+m?s$", offByUuid.Reason);
        Assert.Equal(2, status.ExitCode);
        Assert.True(Logged(3206, "lists 1 plugs, plug 'test' among them"));
        Assert.True(Logged(3201, "action=list -> exit 0"));
    }

    [Fact]
    public async Task A_failing_list_does_not_stop_the_kill_but_the_reason_says_the_plug_went_unchecked()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        IShutdownAgent agent = WrappedAgent(daemon, "fence_virt_badlist", "echo 'list is broken here' >&2; exit 1", Timeout);

        AgentResult off = await agent.KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches(
            @"^n2 via fence_virt_badlist: confirmed off after [\d.]+m?s \(plug not checked: list exited 1: list is broken here\)$",
            off.Reason);
        Assert.Equal(2, status.ExitCode);
        Assert.True(Logged(3208, "list failed, so plug 'test' cannot be checked before power off: list exited 1: list is broken here"));
    }

    [Fact]
    public async Task A_failing_list_fails_the_test()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        IShutdownAgent agent = WrappedAgent(daemon, "fence_virt_badlist", "echo 'list is broken here' >&2; exit 1", Timeout);

        AgentResult test = await agent.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Failed, test.Outcome);
        Assert.Equal(1, test.ExitCode);
        Assert.Equal("n2 via fence_virt_badlist: cannot check plug 'test': list exited 1: list is broken here", test.Reason);
    }

    [Fact]
    public async Task A_hanging_list_gets_half_the_time_and_the_kill_still_confirms_off()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();
        TimeSpan timeout = TimeSpan.FromSeconds(4);
        IShutdownAgent agent = WrappedAgent(daemon, "fence_virt_slowlist", "exec sleep 60", timeout);

        AgentResult off = await agent.KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.Success, off.Outcome);
        Assert.Matches(@"\(plug not checked: list timed out after (1\.9\d*|2(\.\d+)?)s\)$", off.Reason);
        Assert.InRange(off.Duration, TimeSpan.FromSeconds(1.9), timeout);
        Assert.Equal(2, status.ExitCode);
    }

    [Fact]
    public async Task A_plug_with_a_blank_is_refused_since_fence_virt_would_act_on_its_first_word()
    {
        using FenceVirtd daemon = await FenceVirtd.StartAsync();

        AgentResult init = await Agent(daemon, ("plug", "test vm")).InitAsync(CancellationToken.None);
        AgentResult off = await Agent(daemon, ("plug", "test vm")).KillAsync(CancellationToken.None);
        ProcessResult status = await daemon.FenceVirtAsync("status");

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal("n2 via fence_virt: parameter 'plug' must not contain blanks: fence_virt reads a value only up to its first blank", init.Reason);
        Assert.Equal((AgentOutcome.NotConfigured, init.Reason), (off.Outcome, off.Reason));
        Assert.Equal(0, status.ExitCode);
    }
}
