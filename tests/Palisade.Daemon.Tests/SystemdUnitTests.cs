using System.Diagnostics;
using Palisade.Core.Control;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>
/// The shipped unit (deploy/systemd/palisaded.service) passes <c>systemd-analyze verify</c> offline, in a scratch root
/// holding this host's unit files and an executable /usr/sbin/palisaded: nothing is loaded into or started by the
/// host's systemd. The same check fails on a broken unit and on a missing binary, so a pass means something.
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string SystemdAnalyze = "/usr/bin/systemd-analyze";
    private const string HostUnits = "/usr/lib/systemd/system";
    private readonly string _root = Directory.CreateTempSubdirectory("palisade-unit-").FullName;

    private static string Unit => Path.Combine(RepoRoot.Path, "deploy", "systemd", "palisaded.service");

    [Fact]
    public async Task The_unit_verifies_without_a_warning()
    {
        Prepare(File.ReadAllText(Unit), withDaemon: true);

        var (code, output) = await VerifyAsync();

        Assert.True(code == 0 && output.Length == 0, $"systemd-analyze verify exited {code}:\n{output}");
    }

    [Fact]
    public async Task Verify_fails_when_the_daemon_it_starts_is_missing()
    {
        Prepare(File.ReadAllText(Unit), withDaemon: false);

        var (code, output) = await VerifyAsync();

        Assert.NotEqual(0, code);
        Assert.Contains("/usr/sbin/palisaded", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_reports_a_broken_unit()
    {
        var broken = File.ReadAllText(Unit).Replace("Type=notify", "Type=notfy", StringComparison.Ordinal)
            .Replace("RestartPreventExitStatus=2", "RestartPreventExitStatis=2", StringComparison.Ordinal);
        Prepare(broken, withDaemon: true);

        var (_, output) = await VerifyAsync();

        Assert.Contains("notfy", output, StringComparison.Ordinal);
        Assert.Contains("RestartPreventExitStatis", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_unit_places_the_socket_and_state_where_palisaded_expects_them()
    {
        var lines = File.ReadAllLines(Unit).Where(l => !l.StartsWith('#')).ToList();

        Assert.Contains("Type=notify", lines);
        Assert.Contains("Requires=corosync.service", lines);
        Assert.Contains(lines, l => l.StartsWith("After=", StringComparison.Ordinal) && l.Contains("corosync.service", StringComparison.Ordinal));
        Assert.Contains("ExecStart=/usr/sbin/palisaded --config /etc/palisade/palisade.yaml", lines);
        Assert.Contains("Restart=on-failure", lines);
        Assert.Contains("RestartPreventExitStatus=2", lines);
        Assert.Contains("KillMode=process", lines);
        Assert.Equal("/run/palisade", Path.GetDirectoryName(ControlProtocol.DefaultSocketPath));
        Assert.Contains("RuntimeDirectory=palisade", lines);
        Assert.Equal("/var/lib/palisade", new HostOptions { ConfigPath = "x" }.StateDirectory);
        Assert.Contains("StateDirectory=palisade", lines);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Prepare(string unit, bool withDaemon)
    {
        Assert.True(File.Exists(SystemdAnalyze), $"{SystemdAnalyze} is missing (Debian's systemd package)");
        Assert.True(File.Exists(Path.Combine(HostUnits, "corosync.service")), "corosync.service is not installed: scripts/install.sh installs corosync");
        var units = Path.Combine(_root, "usr", "lib", "systemd", "system");
        Directory.CreateDirectory(units);
        foreach (var file in Directory.EnumerateFiles(HostUnits))
        {
            File.Copy(file, Path.Combine(units, Path.GetFileName(file)));
        }

        var etc = Directory.CreateDirectory(Path.Combine(_root, "etc", "systemd", "system")).FullName;
        File.WriteAllText(Path.Combine(etc, "palisaded.service"), unit);
        if (withDaemon)
        {
            var sbin = Directory.CreateDirectory(Path.Combine(_root, "usr", "sbin")).FullName;
            File.WriteAllText(Path.Combine(sbin, "palisaded"), "#!/bin/sh\n");
            File.SetUnixFileMode(Path.Combine(sbin, "palisaded"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    private async Task<(int Code, string Output)> VerifyAsync()
    {
        var start = new ProcessStartInfo(SystemdAnalyze) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "verify", "--no-pager", $"--root={_root}", "palisaded.service" })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["SYSTEMD_LOG_COLOR"] = "0";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, (await output + await error).Trim());
    }
}
