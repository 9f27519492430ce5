using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Palisade.Integration.Tests.Failover;
using Xunit;
using Xunit.Abstractions;

namespace Palisade.Integration.Tests.Safety;

/// <summary>
/// The installed palisaded's control socket, reached through the node's own mount namespace: private to root, and
/// bounded in what one local client can cost it.
/// </summary>
[Collection("lab")]
public sealed class ControlSocketTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task TheSocketIsRootOnlyAndAFloodOfIdleClientsOrAFiveMegabyteLineIsRefusedWhileStatusStillAnswers()
    {
        await using var c = await ClusterLab.UpAsync();
        var pid = await c.PidInNodeAsync("n1", "palisaded");
        var socket = $"/proc/{pid}/root/run/palisade/palisaded.sock";
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket) & (UnixFileMode)0x1FF);
        var rssBefore = RssKiB(pid);

        var idle = new List<Socket>();
        try
        {
            for (var i = 0; i < 500; i++)
            {
                idle.Add(await ConnectAsync(socket));
            }

            // The connections beyond the cap are answered at once and closed; the first ones are held until their timeout.
            var refused = await ReadToEndAsync(idle[^1]);
            Assert.Equal("""{"ok":false,"error":"too many control connections (at most 32 at once); try again"}""" + "\n", refused);
            var timedOut = await ReadToEndAsync(idle[0]);
            Assert.Contains("no complete request within", timedOut, StringComparison.Ordinal);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }

        using (var big = await ConnectAsync(socket))
        {
            var line = new byte[5 * 1024 * 1024];
            Array.Fill(line, (byte)'x');
            var sending = SendIgnoringResetAsync(big, line);
            var reply = await ReadToEndAsync(big);
            await sending;
            Assert.Equal("""{"ok":false,"error":"request longer than 524288 bytes; connection closed"}""" + "\n", reply);
        }

        var status = await c.CliAsync("n1", "status");
        Assert.True(status.ExitCode == 0, status.Stderr);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"palisaded on n1: RSS {rssBefore / 1024} MiB before, {RssKiB(pid) / 1024} MiB after 500 idle connections and a 5 MB request line"));
    }

    [Fact]
    public async Task ASecondPalisadedOnANodeRefusesToStartAndNamesTheFirst()
    {
        await using var c = await ClusterLab.UpAsync();
        var first = await c.PidInNodeAsync("n1", "palisaded");

        var second = await c.Lab.ExecCaptureAsync("n1", ["/usr/local/sbin/palisaded", "--config", "/etc/palisade/palisade.yaml"], Patience, c.Ct);

        Assert.Equal(2, second.ExitCode);
        Assert.Equal($"palisaded: another palisaded already runs on this node (pid {first.ToString(CultureInfo.InvariantCulture)} holds /run/palisade/palisaded.lock); not starting a second one",
            second.Stderr.Trim());
        Assert.Equal(first, await c.PidInNodeAsync("n1", "palisaded"));
        var status = await c.CliAsync("n1", "status");
        Assert.True(status.ExitCode == 0, status.Stderr);
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        for (var tries = 0; ; tries++)
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                return socket;
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock && tries < 1000)
            {
                socket.Dispose();
                await Task.Delay(5); // the accept queue is full for a moment during the burst
            }
        }
    }

    private static async Task SendIgnoringResetAsync(Socket socket, byte[] bytes)
    {
        try
        {
            await socket.SendAsync(bytes, SocketFlags.None);
            socket.Shutdown(SocketShutdown.Send);
        }
        catch (SocketException)
        {
            // the server closed after the limit: what it sent before closing is what counts
        }
    }

    private static async Task<string> ReadToEndAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(Patience);
        var text = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            if (received == 0)
            {
                return text.ToString();
            }

            text.Append(Encoding.UTF8.GetString(buffer, 0, received));
        }
    }

    private static long RssKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
