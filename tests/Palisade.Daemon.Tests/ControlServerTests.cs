using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Control;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Daemon.Tests;

/// <summary>The control socket on a temporary path: who may use it and what one client may cost.</summary>
public sealed class ControlServerTests : IDisposable
{
    private const string Status = """{"command":"status"}""";
    private const string Answer = """{"ok":true,"message":"did status"}""" + "\n";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("palisade-control-");
    private readonly List<ControlServer> _servers = [];

    public ControlServerTests(ITestOutputHelper output) => _output = output;

    private string SocketPath => Path.Combine(_dir.FullName, "run", "palisaded.sock");

    public void Dispose()
    {
        foreach (var server in _servers)
        {
            server.Dispose();
        }

        _dir.Delete(recursive: true);
    }

    private ControlServer Start(ControlLimits? limits = null)
    {
        var server = new ControlServer(SocketPath, r => Task.FromResult(new ControlResponse(true, Message: $"did {r.Command}")), NullLogger.Instance, TimeProvider.System, limits);
        _servers.Add(server);
        server.Start();
        return server;
    }

    private async Task<string> RequestAsync(string line)
    {
        using var client = await ControlClient.ConnectAsync(SocketPath);
        return await client.RequestAsync(line, Patience);
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < Patience, $"not within {Patience}: {what}");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task The_socket_is_mode_0600_and_answers_a_request()
    {
        Start();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Equal([SocketPath], Directory.GetFileSystemEntries(Path.GetDirectoryName(SocketPath)!));
        Assert.Equal(Answer, await RequestAsync(Status));
    }

    [Fact]
    public async Task A_stale_file_left_at_the_path_is_replaced_by_a_private_socket()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(SocketPath)!);
        File.WriteAllText(SocketPath, "left by an earlier run");
        File.SetUnixFileMode(SocketPath, (UnixFileMode)0b110_110_110);

        Start();

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(SocketPath));
        Assert.Equal(Answer, await RequestAsync(Status));
    }

    [Fact]
    public async Task A_peer_with_another_uid_is_refused_with_the_reason()
    {
        Start(new ControlLimits { AllowedUid = 4242 });

        Assert.Equal("""{"ok":false,"error":"uid 0 may not use the control socket; only uid 4242 (root) may"}""" + "\n", await RequestAsync(Status));
    }

    [Fact]
    public async Task A_five_megabyte_line_is_cut_off_with_an_error_and_the_server_still_answers()
    {
        var server = Start();
        long before = RssBytes();

        using (var client = await ControlClient.ConnectAsync(SocketPath))
        {
            var line = new byte[5 * 1024 * 1024];
            Array.Fill(line, (byte)'x');
            var sending = client.SendAsync(line).ContinueWith(_ => client.EndRequest(), TaskScheduler.Default);
            var reply = await client.ReadToEndAsync(Patience);
            await sending;

            Assert.Equal("""{"ok":false,"error":"request longer than 524288 bytes; connection closed"}""" + "\n", reply);
        }

        _output.WriteLine($"RSS before {before / 1024} KiB, after the 5 MB line {RssBytes() / 1024} KiB");
        await WaitUntil(() => server.Active == 0, "the connection closed");
        Assert.Equal(Answer, await RequestAsync(Status));
    }

    [Fact]
    public async Task A_client_that_sends_no_full_line_is_told_and_closed_after_the_timeout()
    {
        var server = Start(new ControlLimits { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        using var client = await ControlClient.ConnectAsync(SocketPath);
        await client.SendAsync("""{"command":"""u8.ToArray());
        var clock = Stopwatch.StartNew();

        var reply = await client.ReadToEndAsync(Patience);

        Assert.Equal("""{"ok":false,"error":"no complete request within 0.5 s; connection closed"}""" + "\n", reply);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        await WaitUntil(() => server.Active == 0, "the connection closed");
    }

    [Fact]
    public async Task Five_hundred_idle_connections_hold_at_most_the_cap_and_the_rest_are_refused_at_once()
    {
        var server = Start(new ControlLimits { RequestTimeout = TimeSpan.FromSeconds(5) });
        long before = RssBytes();
        var clients = new List<ControlClient>();
        try
        {
            for (var i = 0; i < 500; i++)
            {
                clients.Add(await ControlClient.ConnectAsync(SocketPath));
            }

            await WaitUntil(() => server.Active == ControlLimits.DefaultMaxConnections, "the cap of connections held");
            var held = clients.Take(ControlLimits.DefaultMaxConnections).ToList();
            var refusals = await Task.WhenAll(clients.Skip(ControlLimits.DefaultMaxConnections).Select(c => c.ReadToEndAsync(Patience)));
            var busy = await RequestAsync(Status);
            _output.WriteLine($"RSS before {before / 1024} KiB, with 500 connections {RssBytes() / 1024} KiB");

            Assert.Equal(468, refusals.Length);
            Assert.All(refusals, r => Assert.Equal("""{"ok":false,"error":"too many control connections (at most 32 at once); try again"}""" + "\n", r));
            Assert.StartsWith("""{"ok":false,"error":"too many control connections""", busy, StringComparison.Ordinal);

            // The idle ones are dropped when their time is up; then the socket serves again.
            var dropped = await Task.WhenAll(held.Select(c => c.ReadToEndAsync(Patience)));
            Assert.All(dropped, r => Assert.Equal("""{"ok":false,"error":"no complete request within 5 s; connection closed"}""" + "\n", r));
            await WaitUntil(() => server.Active == 0, "the idle connections dropped");
            Assert.Equal(Answer, await RequestAsync(Status));
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static long RssBytes()
    {
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64;
    }
}
