using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Palisade.Agents.Tests;

/// <summary>
/// A real fence_virtd in the foreground with the libvirt backend on libvirt's test driver (<c>test:///default</c>,
/// one running domain named <c>test</c>, whose state lives in this daemon only) and the tcp listener on
/// 127.0.0.1 with a freshly generated key. Killed and removed on Dispose.
/// </summary>
internal sealed class FenceVirtd : IDisposable
{
    /// <summary>The test driver's default domain.</summary>
    public const string Domain = "test";

    /// <summary>
    /// The test collection of every class that starts a fence_virtd: it keeps one pid file per host
    /// (/var/run/fence_virtd.pid) and exits at once when another instance runs, so those classes take turns.
    /// </summary>
    public const string Collection = "fence_virtd";

    private readonly TempDir _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private FenceVirtd(TempDir dir, int port, Process process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string KeyFile => _dir.File("fence_xvm.key");

    /// <summary>The fence_virt options that reach this daemon (plug aside).</summary>
    public (string Name, string Value)[] ClientOptions =>
    [
        ("ipaddr", "127.0.0.1"),
        ("ipport", Port.ToString(CultureInfo.InvariantCulture)),
        ("key_file", KeyFile),
    ];

    public static async Task<FenceVirtd> StartAsync()
    {
        var dir = new TempDir();
        try
        {
            File.WriteAllBytes(dir.File("fence_xvm.key"), RandomNumberGenerator.GetBytes(256));
            int port = FreeTcpPort();
            dir.Write("fence_virt.conf", $$"""
                fence_virtd {
                    listener = "tcp";
                    backend = "libvirt";
                }
                listeners {
                    tcp {
                        key_file = "{{dir.File("fence_xvm.key")}}";
                        address = "127.0.0.1";
                        port = "{{port}}";
                        family = "ipv4";
                    }
                }
                backends {
                    libvirt {
                        uri = "test:///default";
                    }
                }
                """);
            var process = Process.Start(new ProcessStartInfo("/usr/sbin/fence_virtd")
            {
                ArgumentList = { "-F", "-f", dir.File("fence_virt.conf") },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("fence_virtd did not start");
            var daemon = new FenceVirtd(dir, port, process);
            process.OutputDataReceived += (_, e) => daemon.Note(e.Data);
            process.ErrorDataReceived += (_, e) => daemon.Note(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await daemon.WaitUntilAnsweringAsync();
            return daemon;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>Runs fence_virt directly (not through Palisade) with its stdin protocol, on <see cref="Domain"/> unless told otherwise.</summary>
    public Task<ProcessResult> FenceVirtAsync(string action, string? key = null, string plug = Domain) =>
        ProcessRunner.RunAsync(
            new ProcessSpec(
                "/usr/sbin/fence_virt",
                [],
                null,
                $"action={action}\nplug={plug}\nipaddr=127.0.0.1\nipport={Port}\nkey_file={key ?? KeyFile}\n",
                TimeSpan.FromSeconds(10)),
            CancellationToken.None);

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Exited on its own.
        }
        finally
        {
            _process.Dispose();
            _dir.Dispose();
        }
    }

    private static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Note(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilAnsweringAsync()
    {
        var clock = Stopwatch.StartNew();
        ProcessResult? last = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(15) && !_process.HasExited)
        {
            last = await FenceVirtAsync("status");
            if (last.ExitCode == 0)
            {
                return;
            }

            await Task.Delay(50);
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Dispose();
        throw new InvalidOperationException($"fence_virtd on port {Port} did not answer: {last?.StandardError} {output}");
    }
}

/// <summary>Declares <see cref="FenceVirtd.Collection"/>; its classes never run in parallel with each other.</summary>
[Xunit.CollectionDefinition(FenceVirtd.Collection)]
public sealed class FenceVirtdCollection;
