using System.Collections.Immutable;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests;

public sealed class KdumpShutdownAgentTests : IAsyncLifetime
{
    private readonly ListLoggerFactory _loggers = new();
    private readonly ShutdownAgentServices _services;
    private readonly int _port = FreeUdpPort();
    private readonly CancellationTokenSource _announcers = new();
    private readonly List<Task> _announcing = [];

    public KdumpShutdownAgentTests()
    {
        _services = new ShutdownAgentServices(_loggers, TimeProvider.System, [IPAddress.Loopback, IPAddress.IPv6Loopback]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _announcers.CancelAsync();
        await Task.WhenAll(_announcing).WaitAsync(TimeSpan.FromSeconds(5));
        _announcers.Dispose();
        await _services.DisposeAsync();
    }

    private IShutdownAgent Agent(TimeSpan timeout, string targetAddress = "127.0.0.1", params (string Name, string Value)[] parameters)
    {
        var values = new Dictionary<string, string> { ["port"] = _port.ToString(CultureInfo.InvariantCulture) };
        foreach ((string name, string value) in parameters)
        {
            values[name] = value;
        }

        var config = new ShutdownAgentConfig { Type = "kdump", Timeout = timeout, Parameters = values.ToImmutableSortedDictionary() };
        return ShutdownAgentFactory.Create(config, new ShutdownTarget("n2", 2, [targetAddress]), _services);
    }

    /// <summary>A dump kernel on <paramref name="source"/> announcing itself every 100 ms until the test ends.</summary>
    private void Announce(string source, string destination = "127.0.0.1") =>
        _announcing.Add(KdumpAnnouncer.AnnounceAsync(
            new IPEndPoint(IPAddress.Parse(destination), _port), IPAddress.Parse(source), TimeSpan.FromMilliseconds(100), TimeProvider.System, _announcers.Token));

    [Fact]
    public void The_message_is_magic_then_version_in_little_endian_order()
    {
        Assert.Equal([0x40, 0x2A, 0x30, 0x1B, 0x01, 0x00, 0x00, 0x00], KdumpAnnouncer.Message.ToArray());
        Assert.Null(KdumpMessage.Problem(KdumpAnnouncer.Message.Span));
    }

    [Fact]
    public async Task An_announcement_from_the_target_confirms_the_kill()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(10));

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        Announce("127.0.0.1");
        AgentResult result = await kill;

        Assert.Equal(AgentOutcome.Success, result.Outcome);
        Assert.Matches(@"^n2 via kdump: dump kernel announced itself from 127\.0\.0\.1 after [\d.]+m?s$", result.Reason);
        Assert.True(result.Duration < TimeSpan.FromSeconds(5), $"took {result.Duration}");
        Assert.Equal("kdump", agent.Type);
    }

    [Fact]
    public async Task An_announcement_shortly_before_the_kill_counts()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(10));
        Assert.Equal(AgentOutcome.Success, (await agent.InitAsync(CancellationToken.None)).Outcome);
        using (var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            await sender.SendAsync(KdumpAnnouncer.Message, new IPEndPoint(IPAddress.Loopback, _port));
        }

        Assert.True(await Processes.EventuallyAsync(() => _services.KdumpListener(_port).LastAnnouncement(IPAddress.Loopback) is not null, TimeSpan.FromSeconds(5)));
        AgentResult result = await agent.KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, result.Outcome);
        Assert.Matches(@"^n2 via kdump: dump kernel announced itself from 127\.0\.0\.1 [\d.]+m?s before this kill$", result.Reason);
        Assert.True(result.Duration < TimeSpan.FromSeconds(1), $"took {result.Duration}");
    }

    [Fact]
    public async Task An_announcement_from_another_source_does_not_count()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromMilliseconds(1500));

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        Announce("127.0.0.2");
        AgentResult result = await kill;

        Assert.Equal(AgentOutcome.TimedOut, result.Outcome);
        Assert.Equal($"n2 via kdump: no announcement from 127.0.0.1 on udp {_port} within 1.5s", result.Reason);
        Assert.InRange(result.Duration, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(3));

        // The other source's announcements did arrive: they were heard and not counted.
        Assert.NotNull(_services.KdumpListener(_port).LastAnnouncement(IPAddress.Parse("127.0.0.2")));
        Assert.Contains(_loggers.Lines, l => l.Contains("[3262]", StringComparison.Ordinal) && l.Contains("from 127.0.0.2, 0 kill(s)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Only_announcements_to_this_nodes_own_cluster_addresses_count()
    {
        // 127.0.0.2 plays this node's cluster address; 127.0.0.1 is another address of the same host.
        await using var services = new ShutdownAgentServices(_loggers, TimeProvider.System, [IPAddress.Parse("127.0.0.2")]);
        var config = new ShutdownAgentConfig
        {
            Type = "kdump",
            Timeout = TimeSpan.FromMilliseconds(1500),
            Parameters = ImmutableSortedDictionary<string, string>.Empty.Add("port", _port.ToString(CultureInfo.InvariantCulture)),
        };
        IShutdownAgent agent = ShutdownAgentFactory.Create(config, new ShutdownTarget("n2", 2, ["127.0.0.1"]), services);

        AgentResult init = await agent.InitAsync(CancellationToken.None);
        Task<AgentResult> missed = agent.KillAsync(CancellationToken.None);
        Announce("127.0.0.1", destination: "127.0.0.1");
        AgentResult notCounted = await missed;
        Assert.Null(services.KdumpListener(_port).LastAnnouncement(IPAddress.Loopback));

        Task<AgentResult> heard = agent.KillAsync(CancellationToken.None);
        Announce("127.0.0.1", destination: "127.0.0.2");
        AgentResult counted = await heard;

        Assert.Equal($"n2 via kdump: listening on udp {_port} for announcements from 127.0.0.1", init.Reason);
        Assert.Contains(_loggers.Lines, l => l.Contains($"kdump: listening on udp {_port} on 127.0.0.2", StringComparison.Ordinal));
        Assert.Equal(AgentOutcome.TimedOut, notCounted.Outcome);
        Assert.Equal(AgentOutcome.Success, counted.Outcome);
        Assert.StartsWith("n2 via kdump: dump kernel announced itself from 127.0.0.1 ", counted.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_cluster_address_of_its_own_the_agent_is_not_configured()
    {
        await using var services = new ShutdownAgentServices(_loggers, TimeProvider.System);
        var config = new ShutdownAgentConfig { Type = "kdump", Timeout = TimeSpan.FromSeconds(1), Parameters = ImmutableSortedDictionary<string, string>.Empty };

        AgentResult init = await ShutdownAgentFactory.Create(config, new ShutdownTarget("n2", 2, ["127.0.0.1"]), services).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal("n2 via kdump: cannot listen on udp 7410: this node has no cluster address to listen on", init.Reason);
    }

    [Fact]
    public async Task The_addresses_parameter_names_the_sources_that_count()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(10), "127.0.0.1", ("addresses", "127.0.0.3, 127.0.0.2"));

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        Announce("127.0.0.2");
        AgentResult result = await kill;

        Assert.Equal(AgentOutcome.Success, result.Outcome);
        Assert.StartsWith("n2 via kdump: dump kernel announced itself from 127.0.0.2 after ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_announcement_over_ipv6_counts_for_an_ipv6_target()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(10), "::1");

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        Announce("::1", "::1");
        AgentResult result = await kill;

        Assert.Equal(AgentOutcome.Success, result.Outcome);
        Assert.StartsWith("n2 via kdump: dump kernel announced itself from ::1 after ", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_messages_are_ignored()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromMilliseconds(1500));
        byte[] badMagic = [0x41, 0x2A, 0x30, 0x1B, 0x01, 0x00, 0x00, 0x00];
        byte[] badVersion = [0x40, 0x2A, 0x30, 0x1B, 0x02, 0x00, 0x00, 0x00];
        byte[] tooLong = [.. KdumpAnnouncer.Message.ToArray(), 0x00];

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listener = new IPEndPoint(IPAddress.Loopback, _port);
        while (!kill.IsCompleted)
        {
            foreach (byte[] packet in new[] { badMagic, badVersion, tooLong })
            {
                await sender.SendAsync(packet, listener);
            }

            await Task.WhenAny(kill, Task.Delay(100));
        }

        AgentResult result = await kill;
        Assert.Equal(AgentOutcome.TimedOut, result.Outcome);
        Assert.Null(_services.KdumpListener(_port).LastAnnouncement(IPAddress.Loopback));
        Assert.Contains(_loggers.Lines, l => l.Contains("from 127.0.0.1: magic 0x1B302A41, not 0x1B302A40", StringComparison.Ordinal));
        Assert.Contains(_loggers.Lines, l => l.Contains("from 127.0.0.1: version 2, not 1", StringComparison.Ordinal));
        Assert.Contains(_loggers.Lines, l => l.Contains("from 127.0.0.1: 9 bytes, not 8", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Init_and_test_report_the_listener_and_agents_share_it()
    {
        IShutdownAgent first = Agent(TimeSpan.FromSeconds(5));
        IShutdownAgent second = Agent(TimeSpan.FromSeconds(5), "127.0.0.9");

        AgentResult init = await first.InitAsync(CancellationToken.None);
        AgentResult initSecond = await second.InitAsync(CancellationToken.None);
        AgentResult test = await second.TestAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.Success, init.Outcome);
        Assert.Equal($"n2 via kdump: listening on udp {_port} for announcements from 127.0.0.1", init.Reason);
        Assert.Equal(AgentOutcome.Success, initSecond.Outcome);
        Assert.Equal(AgentOutcome.Success, test.Outcome);
        Assert.Equal($"n2 via kdump: listening on udp {_port}; the node's side cannot be tested without crashing it", test.Reason);
        Assert.Single(_loggers.Lines, l => l.Contains("[3260]", StringComparison.Ordinal));
        Assert.Throws<SocketException>(() => new UdpClient(new IPEndPoint(IPAddress.Any, _port)).Dispose());

        // Disposing the services closes the listener: the port is free again.
        await _services.DisposeAsync();
        using var rebound = new UdpClient(new IPEndPoint(IPAddress.Any, _port));
        Assert.Equal(_port, ((IPEndPoint)rebound.Client.LocalEndPoint!).Port);
    }

    [Fact]
    public async Task A_port_held_by_another_socket_is_reported_at_init()
    {
        using var holder = new UdpClient(new IPEndPoint(IPAddress.Any, _port));

        AgentResult init = await Agent(TimeSpan.FromSeconds(5)).InitAsync(CancellationToken.None);
        AgentResult kill = await Agent(TimeSpan.FromSeconds(5)).KillAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal($"n2 via kdump: cannot listen on udp 127.0.0.1:{_port}: Address already in use", init.Reason);
        Assert.Equal(AgentOutcome.NotConfigured, kill.Outcome);
    }

    [Fact]
    public async Task A_malformed_address_is_reported_at_init()
    {
        AgentResult init = await Agent(TimeSpan.FromSeconds(5), "127.0.0.1", ("addresses", "198.18.0.12, not an address")).InitAsync(CancellationToken.None);

        Assert.Equal(AgentOutcome.NotConfigured, init.Outcome);
        Assert.Equal("n2 via kdump: address 'not an address' is neither an IP address nor a host name", init.Reason);
        Assert.Contains("kdump", ShutdownAgentFactory.SupportedTypes);
    }

    [Fact]
    public async Task A_kill_waiting_when_the_listener_closes_fails_instead_of_hanging()
    {
        IShutdownAgent agent = Agent(TimeSpan.FromSeconds(30));

        Task<AgentResult> kill = agent.KillAsync(CancellationToken.None);
        Assert.True(await Processes.EventuallyAsync(() => _loggers.Lines.Any(l => l.Contains("[3265]", StringComparison.Ordinal)), TimeSpan.FromSeconds(5)));
        await _services.DisposeAsync();
        AgentResult result = await kill.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(AgentOutcome.Failed, result.Outcome);
        Assert.Equal($"n2 via kdump: the listener on udp {_port} was closed while waiting", result.Reason);
    }

    /// <summary>A UDP port free on every address (bound dual-mode, then released).</summary>
    private static int FreeUdpPort()
    {
        using var probe = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp) { DualMode = true };
        probe.Bind(new IPEndPoint(IPAddress.IPv6Any, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
