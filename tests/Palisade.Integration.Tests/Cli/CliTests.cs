using System.Diagnostics;
using Xunit;

namespace Palisade.Integration.Tests.Cli;

/// <summary>The installed <c>palisade</c> command: exit codes and messages an operator sees.</summary>
public sealed class CliTests : IDisposable
{
    private const string Palisade = "/usr/local/bin/palisade";
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var psi = new ProcessStartInfo(Palisade, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PALISADE_SOCKET"] = "/nonexistent/palisaded.sock";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, stdout.Result, stderr);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ConfigValidateReportsEveryProblemWithItsPlaceAndChangesNothing()
    {
        var path = Write("bad.yaml", """
            cluster:
              name: lab
            nodes:
              - name: n1
                id: 1
                interconnect: [198.18.0.11]
                wieght: 2
                shutdown_agents:
                  - type: ipmi
                    address: 198.18.0.201
                    user: admin
                    password: hunter2-secret
                    port: 99999
            groups:
              - name: web
                nodes: [n1, n4]
            """);

        var (code, stdout, stderr) = Run("config", "validate", path);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        var lines = stderr.TrimEnd('\n').Split('\n');
        Assert.Equal(
            [
                $"{path}:7:5: nodes[0].wieght: unknown key 'wieght' (did you mean 'weight'?)",
                $"{path}:13:15: nodes[0].shutdown_agents[0].port: expected an integer between 1 and 65535, got '99999'",
                $"{path}:16:17: groups[0].nodes[1]: node 'n4' is not declared (declared: n1)",
                $"{path}: 3 problem(s); nothing was changed",
            ],
            lines);
        Assert.DoesNotContain("hunter2", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigCorosyncWritesTheMatchingCorosyncConf()
    {
        var path = Write("ok.yaml", """
            cluster:
              name: lab
            nodes:
              - name: n1
                id: 1
                interconnect: [198.18.0.11]
              - name: n2
                id: 2
                interconnect: [198.18.0.12]
            """);
        var output = Path.Combine(_dir, "corosync.conf");

        Assert.Equal((0, $"wrote {output}\n", ""), Run("config", "corosync", path, "--output", output));
        var conf = File.ReadAllText(output);
        Assert.Contains("        ring0_addr: 198.18.0.12\n        name: n2\n        nodeid: 2\n", conf, StringComparison.Ordinal);
        Assert.Contains("    two_node: 1\n", conf, StringComparison.Ordinal);
        Assert.Equal((0, $"{path}: valid (cluster lab, 2 nodes, 0 groups)\n", ""), Run("config", "validate", path));
    }

    [Fact]
    public void ConfigAuthkeyWritesARootOnlyKeyAndKeepsAnExistingOne()
    {
        var path = Path.Combine(_dir, "authkey");

        var first = Run("config", "authkey", "--output", path);
        var key = File.ReadAllBytes(path);
        var again = Run("config", "authkey", "--output", path);
        var unchanged = File.ReadAllBytes(path);
        var forced = Run("config", "authkey", "--output", path, "--force");

        Assert.Equal((0, $"wrote {path} (256 random bytes, mode 0400); copy the same file to every node\n", ""), first);
        Assert.Equal(256, key.Length);
        Assert.Equal((1, "", $"palisade: {path} already exists; it was left unchanged (use --force to replace it, then copy the new key to every node)\n"), again);
        Assert.Equal(key, unchanged);
        Assert.Equal(0, forced.Code);
        Assert.NotEqual(key, File.ReadAllBytes(path));
        Assert.Equal(UnixFileMode.UserRead, File.GetUnixFileMode(path));
        Assert.Equal(2, Run("config", "authkey", "extra").Code);
    }

    [Fact]
    public void StatusWithoutADaemonSaysWhyAndFails()
    {
        var (code, stdout, stderr) = Run("status");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.StartsWith("palisade: cannot reach palisaded at /nonexistent/palisaded.sock: ", stderr, StringComparison.Ordinal);
        Assert.EndsWith("(is palisaded running on this node?)\n", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void UsageErrorsExitWithTwo()
    {
        Assert.Equal(2, Run("group", "move").Code);
        Assert.Equal(2, Run("status", "--output", "yaml").Code);
        Assert.Equal(2, Run("frobnicate").Code);
        Assert.Contains("monitor: unknown command 'show' (expected one of: list, suspend, resume, clear)", Run("monitor", "show").Err, StringComparison.Ordinal);
        Assert.Contains("group: unknown command 'restart' (expected one of: start, stop, move, cleanup)", Run("group", "restart", "web").Err, StringComparison.Ordinal);
        Assert.Contains("group start: unknown option '--to'", Run("group", "start", "web", "--to", "n2").Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "sd" }, "palisade: sd needs one action (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "-x" }, "palisade: sd: unknown option '-x' (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "-s", "-b" }, "palisade: sd takes one action, got -s -b")]
    [InlineData(new[] { "sd", "-k" }, "palisade: sd -k needs a node name")]
    [InlineData(new[] { "sd", "-d", "maybe" }, "palisade: sd -d takes on or off")]
    [InlineData(new[] { "sd", "-s", "n1" }, "palisade: sd: unexpected argument 'n1' (see 'palisade sd --help')")]
    [InlineData(new[] { "sd", "--history", "--output", "yaml" }, "palisade: sd: --output must be text or json, not 'yaml'")]
    public void ShutdownDaemonUsageErrorsSayWhatIsWrongAndExitWithTwo(string[] args, string firstLine)
    {
        var (code, _, err) = Run(args);

        Assert.Equal(2, code);
        Assert.Equal(firstLine, err.Split('\n')[0]);
    }

    [Theory]
    [InlineData("palisade gr", "group")]
    [InlineData("palisade lab po", "power")]
    [InlineData("sdtool --hi", "--history")]
    [InlineData("clprexec --no", "--notice")]
    public async Task BashCompletionAsksTheInstalledPalisade(string line, string expected)
    {
        // The installed completion script, as an interactive bash runs it, with the installed palisade on PATH.
        var script = """
            source /etc/bash_completion.d/palisade
            COMP_LINE=$1; COMP_POINT=${#COMP_LINE}; read -ra COMP_WORDS <<< "$COMP_LINE"; COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            _palisade; printf '%s\n' "${COMPREPLY[@]}"
            """;
        var psi = new ProcessStartInfo("bash", ["-c", script, "complete", line]) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["PATH"] = "/usr/local/bin:/usr/bin:/bin";
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();

        Assert.True(p.ExitCode == 0, stderr);
        Assert.Equal([expected], (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void ShutdownAgentReferenceIsPrintedWithoutADaemon()
    {
        var (code, output, _) = Run("config", "agents");

        Assert.Equal(0, code);
        Assert.StartsWith("# Shutdown agent reference", output, StringComparison.Ordinal);
        Assert.Contains("## `fence-agent`", output, StringComparison.Ordinal);
    }
}
