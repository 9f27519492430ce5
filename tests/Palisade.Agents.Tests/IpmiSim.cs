using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Palisade.Agents.Tests;

/// <summary>
/// A real ipmi_sim BMC on 127.0.0.1 whose chassis power lives in a file, so tests can read what the agent did.
/// Everything (process, files) is removed on Dispose.
/// </summary>
internal sealed class IpmiSim : IDisposable
{
    public const string User = "admin";
    public const string Password = "s3cr3t-pw";

    private readonly TempDir _dir;
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private IpmiSim(TempDir dir, int port, Process process)
    {
        _dir = dir;
        Port = port;
        _process = process;
    }

    public int Port { get; }

    public string PowerFile => _dir.File("power.state");

    public string PowerFileContent => File.ReadAllText(PowerFile).Trim();

    public static async Task<IpmiSim> StartAsync(bool poweredOn = true)
    {
        var dir = new TempDir();
        try
        {
            int port = FreeUdpPort();
            WriteConfiguration(dir, port, poweredOn);
            var process = Process.Start(new ProcessStartInfo("ipmi_sim")
            {
                ArgumentList = { "-c", dir.File("lan.conf"), "-f", dir.File("bmc.emu"), "-s", dir.File("state"), "-n" },
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            }) ?? throw new InvalidOperationException("ipmi_sim did not start");
            var sim = new IpmiSim(dir, port, process);
            process.OutputDataReceived += (_, e) => sim.Note(e.Data);
            process.ErrorDataReceived += (_, e) => sim.Note(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await sim.WaitUntilAnsweringAsync();
            return sim;
        }
        catch
        {
            dir.Dispose();
            throw;
        }
    }

    /// <summary>A UDP port on loopback that nothing was bound to a moment ago.</summary>
    public static int FreeUdpPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)socket.LocalEndPoint!).Port;
    }

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
        var environment = new Dictionary<string, string> { ["IPMI_PASSWORD"] = Password };
        string[] arguments =
        [
            "-I", "lanplus", "-H", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture),
            "-U", User, "-C", "3", "-L", "ADMINISTRATOR", "-E", "chassis", "power", "status",
        ];
        while (clock.Elapsed < TimeSpan.FromSeconds(15))
        {
            ProcessResult probe = await ProcessRunner.RunAsync(
                new ProcessSpec("ipmitool", arguments, environment, null, TimeSpan.FromSeconds(2)), CancellationToken.None);
            if (probe.ExitCode == 0)
            {
                return;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        Dispose();
        throw new InvalidOperationException($"ipmi_sim on port {Port} did not answer: {output}");
    }

    private static void WriteConfiguration(TempDir dir, int port, bool poweredOn)
    {
        Directory.CreateDirectory(dir.File("state"));
        dir.Write("power.state", poweredOn ? "1\n" : "0\n");

        // ipmi_sim runs "<script> <device> get power" (expects "power:0|1") and "<script> <device> set power 0|1".
        string script = dir.Write("chassis.sh", """
            #!/bin/sh
            state="$1"
            case "$2 $3" in
              "get power") printf 'power:%s\n' "$(cat "$state")" ;;
              "set power") printf '%s\n' "$4" > "$state" ;;
            esac
            exit 0
            """, executable: true);
        dir.Write("lan.conf", $"""
            name "palisade-test-bmc"
            set_working_mc 0x20
            startlan 1
              addr 127.0.0.1 {port}
              priv_limit admin
              allowed_auths_callback none md2 md5 straight
              allowed_auths_user none md2 md5 straight
              allowed_auths_operator none md2 md5 straight
              allowed_auths_admin none md2 md5 straight
              guid a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5
            endlan
            chassis_control "{script} {dir.File("power.state")}"
            user 2 true "{User}" "{Password}" admin 10 none md2 md5 straight
            """);
        dir.Write("bmc.emu", """
            mc_setbmc 0x20
            mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
            sel_enable 0x20 1000 0x0a
            mc_enable 0x20
            """);
    }
}
