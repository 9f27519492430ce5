using System.Diagnostics;
using Xunit;

namespace Palisade.Integration.Tests.Cli;

/// <summary>
/// <c>palisade cluster setup</c> with the palisade built beside the tests: the files it makes for every node and the
/// exact commands it prints; with <c>--ssh</c> against a node nothing answers for, the failing step is named.
/// </summary>
public sealed class ClusterSetupTests : IDisposable
{
    private const string Cluster = """
        cluster:
          name: prod
        nodes:
          - name: n1
            id: 1
            interconnect: [198.18.0.11]
            admin: 198.18.0.51
            shutdown_agents:
              - type: ipmi
                address: 198.18.0.201
                user: admin
                password: hunter2-secret
          - name: n2
            id: 2
            interconnect: [198.18.0.12]
          - name: n3
            id: 3
            interconnect: [198.18.0.13]
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-setup-").FullName;

    private string Bundle => Path.Combine(_dir, "bundle");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Setup_prints_the_copy_and_start_commands_for_every_node_and_writes_what_they_copy()
    {
        var file = Write("prod.yaml", Cluster);

        var (code, stdout, stderr) = Run("cluster", "setup", file, "--dir", Bundle);

        Assert.True(code == 0, stderr);
        var commands = stdout.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        string[] n1 =
        [
            "ssh -o BatchMode=yes root@198.18.0.51 'install -d -m 0755 /etc/palisade /etc/corosync'",
            $"scp -o BatchMode=yes -p {Bundle}/authkey root@198.18.0.51:/etc/corosync/authkey",
            $"scp -o BatchMode=yes {Bundle}/corosync.conf root@198.18.0.51:/etc/corosync/corosync.conf",
            $"scp -o BatchMode=yes {Bundle}/palisade.yaml root@198.18.0.51:/etc/palisade/palisade.yaml",
            "ssh -o BatchMode=yes root@198.18.0.51 'chown root:root /etc/corosync/authkey && chmod 0400 /etc/corosync/authkey && palisade config validate /etc/palisade/palisade.yaml'",
        ];
        Assert.Equal(n1, commands.Take(5));
        Assert.Equal($"scp -o BatchMode=yes -p {Bundle}/authkey root@198.18.0.12:/etc/corosync/authkey", commands[6]); // n2: no admin address
        Assert.Equal(
            [
                "ssh -o BatchMode=yes root@198.18.0.51 'systemctl enable corosync && systemctl restart corosync'",
                "ssh -o BatchMode=yes root@198.18.0.12 'systemctl enable corosync && systemctl restart corosync'",
                "ssh -o BatchMode=yes root@198.18.0.13 'systemctl enable corosync && systemctl restart corosync'",
                "ssh -o BatchMode=yes root@198.18.0.51 'systemctl enable --now palisaded'",
                "ssh -o BatchMode=yes root@198.18.0.12 'systemctl enable --now palisaded'",
                "ssh -o BatchMode=yes root@198.18.0.13 'systemctl enable --now palisaded'",
            ],
            commands.Skip(15));
        Assert.Equal(21, commands.Count);

        // Every file a command copies exists; the authkey is root's alone; nothing secret is printed.
        var copied = commands.Where(c => c.StartsWith("scp ", StringComparison.Ordinal)).Select(c => c.Split(' ')[^2]).Distinct().ToList();
        Assert.Equal([$"{Bundle}/authkey", $"{Bundle}/corosync.conf", $"{Bundle}/palisade.yaml"], copied.Order());
        Assert.All(copied, f => Assert.True(File.Exists(f), f));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Bundle));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode($"{Bundle}/authkey"));
        Assert.Equal(256, new FileInfo($"{Bundle}/authkey").Length);
        Assert.Equal(Cluster, File.ReadAllText($"{Bundle}/palisade.yaml"));
        var corosync = Run("config", "corosync", file);
        Assert.Equal(corosync.Out, File.ReadAllText($"{Bundle}/corosync.conf"));
        Assert.Contains("ring0_addr: 198.18.0.13", corosync.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", stdout + stderr, StringComparison.Ordinal);
        Assert.Contains("authkey (new, mode 0400)", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Running_setup_again_keeps_the_authkey()
    {
        var file = Write("prod.yaml", Cluster);
        Assert.Equal(0, Run("cluster", "setup", file, "--dir", Bundle).Code);
        var key = File.ReadAllBytes($"{Bundle}/authkey");

        var again = Run("cluster", "setup", file, "--dir", Bundle, "--print");

        Assert.Equal(0, again.Code);
        Assert.Contains("authkey (kept from an earlier setup, mode 0400)", again.Out, StringComparison.Ordinal);
        Assert.Equal(key, File.ReadAllBytes($"{Bundle}/authkey"));
    }

    [Fact]
    public void A_bad_cluster_file_is_reported_with_its_place_and_nothing_is_written()
    {
        var file = Write("bad.yaml", Cluster.Replace("id: 3", "id: 2", StringComparison.Ordinal));

        var (code, stdout, stderr) = Run("cluster", "setup", file, "--dir", Bundle);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith($"{file}:", stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Bundle));
    }

    [Fact]
    public void Usage_errors_exit_2()
    {
        var file = Write("prod.yaml", Cluster);
        Assert.Equal(2, Run("cluster", "setup", file, "--ssh", "--print").Code);
        Assert.Equal(2, Run("cluster", "setup", file, "--start").Code);
        Assert.Equal(2, Run("cluster", "setup").Code);
        Assert.False(Directory.Exists(Bundle));
    }

    [Fact]
    public void With_ssh_a_node_that_does_not_answer_stops_the_setup_and_is_named()
    {
        // Loopback only: ssh in batch mode gets no answer it can use (no sshd, or no key) and fails at once.
        var file = Write("local.yaml", Cluster.Replace("admin: 198.18.0.51", "admin: 127.0.0.1", StringComparison.Ordinal));

        var (code, stdout, stderr) = Run("cluster", "setup", file, "--dir", Bundle, "--ssh");

        Assert.Equal(1, code);
        Assert.Contains("n1: ssh -o BatchMode=yes root@127.0.0.1 'install -d", stdout, StringComparison.Ordinal);
        Assert.StartsWith("palisade: n1: 'ssh' exited 255: ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("n2:", stdout, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "palisade"), args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _dir,
        };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }
}
