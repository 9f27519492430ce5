using System.Text.Json;
using Palisade.Core.Status;
using Palisade.Integration.Tests.Failover;
using Palisade.Lab;
using Palisade.Scenarios;
using Xunit;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// The channels of the installed palisaded beyond the local CLI: the HTTPS intake (TLS with the lab CA, a bearer
/// token per sender, an address allow list) and the <c>clprexec</c> command in its local and remote forms.
/// </summary>
[Collection("lab")]
public sealed class IntakeChannelTests
{
    // n1 and n2 may send (both of their addresses); n3 may not.
    private const string Intake = """
        intake:
          certificate: /etc/palisade/intake.crt
          key: /etc/palisade/intake.key
          senders:
            - {name: mgmt, token_file: /etc/palisade/intake.token, allow: [198.18.0.11, 198.18.0.141, 198.18.0.12, 198.18.0.142], actions: [notify, failover, script]}
        """;

    private const string Monitors = """
        monitors:
          - {name: nic-eth1, type: external, target: web, category: NIC, keyword: eth1, recovery: {restart_limit: 0, failover_limit: 1}}
        """;

    private static string? Health(StatusReport s, string monitor, string node) =>
        s.Monitors.FirstOrDefault(m => m.Name == monitor)?.Status.GetValueOrDefault(node);

    private static async Task<ClusterLab> UpAsync()
    {
        var demo = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Failover", "demo.yaml"));
        return await ClusterLab.UpYamlAsync(demo.TrimEnd() + "\n" + Monitors + "\n" + Intake + "\n");
    }

    private static async Task<ExecResult> Clprexec(ClusterLab c, string node, params string[] args) =>
        await c.Lab.ExecCaptureAsync(node, ["/usr/local/sbin/clprexec", .. args], TimeSpan.FromSeconds(60), c.Ct);

    private static string Etc(ClusterLab c, string node) => Path.Combine(c.Lab.StatePath, "nodes", node, "etc-palisade");

    [Fact]
    public async Task TheHttpsIntakeTakesMessagesFromAllowedSendersWithTheirTokenAndClprexecSpeaksItsForms()
    {
        await using var c = await UpAsync();
        await c.WaitCliAsync("n1", ["status"], _ => c.NodeLog("n1").Contains("intake: listening on https://198.18.0.141:29002 for 1 sender(s)", StringComparison.Ordinal),
            "n1's intake listening");

        // An address in no sender's allow list: refused, logged as CLUSTERPRO logs it, nothing applied.
        var denied = await Clprexec(c, "n3", "--notice", "-k", "NIC.eth1", "-h", "198.18.0.141");
        Assert.True(denied.ExitCode == 1, denied.Stdout + denied.Stderr);
        Assert.Contains("403 notification from external (IP=198.18.0.143) was denied: the address is in no sender's allow list", denied.Stderr, StringComparison.Ordinal);
        Assert.Contains("intake: notification from external (IP=198.18.0.143) was denied", c.NodeLog("n1"), StringComparison.Ordinal);

        // The right address with a wrong token: refused; the token never shows in the log.
        var wrongToken = Path.Combine(Etc(c, "n2"), "wrong.token");
        await File.WriteAllTextAsync(wrongToken, "not-the-token-0123456789\n");
        File.SetUnixFileMode(wrongToken, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var wrong = await Clprexec(c, "n2", "--notice", "-k", "NIC.eth1", "-h", "198.18.0.141", "--token-file", "/etc/palisade/wrong.token");
        Assert.True(wrong.ExitCode == 1, wrong.Stdout + wrong.Stderr);
        Assert.Contains("401 notification from external (IP=198.18.0.142) was denied: the bearer token is not that of a sender allowed from this address", wrong.Stderr, StringComparison.Ordinal);
        var token = File.ReadAllText(Path.Combine(Etc(c, "n1"), "intake.token")).Trim();
        Assert.DoesNotContain(token, c.NodeLog("n1"), StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", c.NodeLog("n1"), StringComparison.Ordinal);
        var calm = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web still on n1");
        Assert.Equal("Normal", Health(calm, "nic-eth1", "n1"));

        // The monitor's own name (its category and device from the cluster file), sent by n2 to n1's intake over TLS
        // checked against the lab CA: the error is n1's, web fails over.
        var notice = await Clprexec(c, "n2", "--notice", "nic-eth1", "-h", "198.18.0.141", "-o", "/var/lib/palisade/clprexec.log");
        Assert.True(notice.ExitCode == 0, notice.Stdout + notice.Stderr);
        Assert.Contains("accepted: journaled on n1 and published", notice.Stdout, StringComparison.Ordinal);
        var moved = await c.WaitAsync("n3", s => Health(s, "nic-eth1", "n1") == "Error" && ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"),
            "nic-eth1 Error on n1 and web failed over to n2");
        Assert.Equal(1, moved.Monitors.Single(m => m.Name == "nic-eth1").Counters.Failovers);
        Assert.Contains("clprexec --notice nic-eth1: ok: message", File.ReadAllText(Path.Combine(c.Lab.StatePath, "nodes", "n2", "lib-palisade", "clprexec.log")), StringComparison.Ordinal);

        // --clear with -k CATEGORY.KEYWORD over HTTPS; then the local forms over the control socket.
        var clear = await Clprexec(c, "n2", "--clear", "-k", "NIC.eth1", "-h", "198.18.0.141");
        Assert.True(clear.ExitCode == 0, clear.Stdout + clear.Stderr);
        await c.WaitAsync("n3", s => Health(s, "nic-eth1", "n1") == "Normal", "nic-eth1 Normal on n1 after --clear");
        var local = await Clprexec(c, "n2", "--failover", "web");
        Assert.True(local.ExitCode == 0, local.Stdout + local.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web moved from n2 to n1 by clprexec --failover");

        // --failover -r RESOURCE sent to n3's intake: the group holding it moves on.
        var remote = await Clprexec(c, "n1", "--failover", "-r", "hello", "-h", "198.18.0.143");
        Assert.True(remote.ExitCode == 0, remote.Stdout + remote.Stderr);
        await c.WaitAsync("n3", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n2"), "web moved from n1 to n2 through n3's intake");

        // --script runs a script of n3's request directory by name; a path is refused.
        var requests = Directory.CreateDirectory(Path.Combine(Etc(c, "n3"), "requests")).FullName;
        await File.WriteAllTextAsync(Path.Combine(requests, "hello"), "#!/bin/sh\necho \"hi from $(hostname)\" > /var/lib/palisade/request-ran\necho hi\n");
        File.SetUnixFileMode(Path.Combine(requests, "hello"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var script = await Clprexec(c, "n2", "--script", "hello", "-h", "198.18.0.143");
        Assert.True(script.ExitCode == 0, script.Stdout + script.Stderr);
        Assert.Contains("script hello ran: exit 0: hi", script.Stdout, StringComparison.Ordinal);
        Assert.Equal("hi from n3\n", File.ReadAllText(Path.Combine(c.Lab.StatePath, "nodes", "n3", "lib-palisade", "request-ran")));
        var path = await Clprexec(c, "n2", "--script", "../intake.token", "-h", "198.18.0.143");
        Assert.True(path.ExitCode == 1, path.Stdout + path.Stderr);
        Assert.Contains("'../intake.token' is not a script name", path.Stderr, StringComparison.Ordinal);

        // n1's journal holds what its intake accepted, with the sender named.
        var events = await c.CliAsync("n1", "events", "--output", "json");
        var sources = events.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("notice").GetProperty("source").GetString()).ToList();
        Assert.Equal(2, sources.Count);
        Assert.All(sources, s => Assert.StartsWith("mgmt: clprexec on n2", s, StringComparison.Ordinal));
        c.AssertNoDoubleActivation();
    }

    [Fact]
    public async Task BadRequestsToTheHttpsIntakeAndToClprexecAreRefusedWithTheReasonAndChangeNothing()
    {
        await using var c = await UpAsync();
        await c.WaitCliAsync("n1", ["status"], _ => c.NodeLog("n1").Contains("intake: listening on", StringComparison.Ordinal), "n1's intake listening");
        var token = File.ReadAllText(Path.Combine(Etc(c, "n2"), "intake.token")).Trim();
        var big = new string('x', 20_000);
        (string Path, string Body, string? Token, string Status, string Detail)[] cases =
        [
            ("notify", """{"category":"DISK","id":"b1"}""", token, "400", "message refused: category 'DISK' is not known"),
            ("notify", """{"category":"NIC","severity":"fatal","id":"b2"}""", token, "400", "severity must be error, warning or clear"),
            ("notify", """{"category":"NIC"}""", token, "400", "message refused: id is required"),
            ("notify", """{"category":"NIC","id":"b4","colour":"red"}""", token, "400", "the body is not the JSON expected"),
            ("notify", """{"category":"NIC","id":"b5","node":"n9"}""", token, "400", "node 'n9' is not a node of this cluster"),
            ("notify", """{"category":"NIC","id":"b6","keyword":"line1\nline2"}""", token, "400", "keyword contains control characters"),
            ("notify", "not json", token, "400", "the body is not the JSON expected"),
            ("notify", $$"""{"category":"NIC","id":"b8","text":"{{big}}"}""", token, "413", "request too large"),
            ("notify", "{\"category\":\"NIC\",\"id\":\"b9\",\"text\":\"caf\u00e9\"}", token, "400", "the body is not valid UTF-8"), // é as one Latin-1 byte
            ("notify", """{"id":"b10"}""", token, "400", "message refused: category is required"),
            ("notify", $$"""{"category":"NIC","id":"b11","keyword":"{{new string('k', 1024)}}"}""", token, "400", "keyword is 1024 bytes long (at most 1023)"),
            ("notify", $$"""{"category":"{{new string('C', 33)}}","id":"b12"}""", token, "400", "category is 33 bytes long (at most 32)"),
            ("notify", $$"""{"category":"NIC","id":"{{new string('i', 129)}}"}""", token, "400", "id is 129 bytes long (at most 128)"),
            ("notify", """{"category":"NIC","id":"b14","text":"bell\u0007"}""", token, "400", "text contains control characters"),
            ("notify", "", token, "400", "the body is not the JSON expected"),
            ("notify", """[{"category":"NIC","id":"b16"}]""", token, "400", "the body is not the JSON expected"),
            ("notify", """{"category":"NIC","id":"b17"}""", null, "401", "was denied: no bearer token"),
            ("notify", """{"category":"NIC","id":"b18"}""", "not-the-token-0123456789", "401", "the bearer token is not that of a sender allowed from this address"),
            ("failover", """{"group":"nope"}""", token, "400", "unknown group 'nope' (groups: web)"),
            ("failover", """{}""", token, "400", "failover needs a group"),
            ("script", """{"script":"../intake.token"}""", token, "400", "is not a script name"),
            ("status", """{}""", token, "404", "no such endpoint"),
        ];
        foreach (var (path, body, bearer, status, detail) in cases)
        {
            var file = Path.Combine(c.Lab.StatePath, "nodes", "n2", "lib-palisade", "body.json");
            await File.WriteAllBytesAsync(file, System.Text.Encoding.Latin1.GetBytes(body));
            string[] auth = bearer is null ? [] : ["-H", $"Authorization: Bearer {bearer}"];
            var r = await c.Lab.ExecCaptureAsync("n2", ["curl", "-s", "-w", "\n%{http_code}", "--cacert", "/etc/palisade/intake-ca.pem", .. auth,
                "-H", "Content-Type: application/json", "--data-binary", "@/var/lib/palisade/body.json", $"https://198.18.0.141:29002/v1/{path}"],
                TimeSpan.FromSeconds(30), c.Ct);
            var what = $"{path} {body[..Math.Min(body.Length, 60)]}";
            Assert.True(r.Stdout.EndsWith(status, StringComparison.Ordinal), $"{what}: {r.Stdout}");
            Assert.True(r.Stdout.Contains(detail, StringComparison.Ordinal), $"{what}: {r.Stdout}");
        }

        // Plain HTTP is not served.
        var plain = await c.Lab.ExecCaptureAsync("n2", ["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "http://198.18.0.141:29002/v1/notify"], TimeSpan.FromSeconds(30), c.Ct);
        Assert.NotEqual("200", plain.Stdout);

        // clprexec's own mistakes, each with its reason.
        (string[] Args, int Code, string Error)[] forms =
        [
            ([], 2, "give exactly one of --notice, --clear, --failover, --script"),
            (["--notice", "--clear", "-k", "NIC.eth1"], 2, "give exactly one of"),
            (["--notice", "nope"], 2, "'nope' is not an external monitor of /etc/palisade/palisade.yaml (external monitors: nic-eth1)"),
            (["--notice"], 2, "give a monitor name or -k CATEGORY[.KEYWORD]"),
            (["--failover", "-r", "nores"], 2, "no group of /etc/palisade/palisade.yaml holds a resource 'nores'"),
            (["--notice", "-k", "NIC.eth1", "-p", "99999"], 2, "-p needs a number between 1 and 65535, not '99999'"),
            (["--notice", "-k", "NIC.eth1", "-h", "198.18.0.141", "--token-file", "/nonexistent"], 1, "cannot read the intake token /nonexistent"),
            (["--notice", "-k", "DISK.sda", "-h", "198.18.0.141"], 1, "400 message refused: category 'DISK' is not known"),
        ];
        foreach (var (args, code, error) in forms)
        {
            var r = await Clprexec(c, "n2", args);
            Assert.True(r.ExitCode == code && r.Stderr.Contains(error, StringComparison.Ordinal), $"clprexec {string.Join(' ', args)}: exit {r.ExitCode}: {r.Stderr}");
        }

        Assert.Equal("", (await c.CliAsync("n1", "events")).Stdout);
        Assert.Equal("", (await c.CliAsync("n2", "events")).Stdout);
        var s = await c.WaitAsync("n2", s => ClusterProbe.GroupOnline(s, ClusterLab.Group, "n1"), "web still on n1");
        Assert.Equal("Normal", Health(s, "nic-eth1", "n1"));

        // A replayed id is acknowledged but not applied again.
        string[] send = ["--notice", "-k", "NIC.eth9", "-h", "198.18.0.141"];
        Assert.Equal(0, (await Clprexec(c, "n2", send)).ExitCode);
        var body2 = Path.Combine(c.Lab.StatePath, "nodes", "n2", "lib-palisade", "body.json");
        await File.WriteAllTextAsync(body2, """{"category":"NIC","keyword":"eth9","id":"replayed-1"}""");
        string[] post = ["curl", "-s", "--cacert", "/etc/palisade/intake-ca.pem", "-H", $"Authorization: Bearer {token}", "-H", "Content-Type: application/json",
            "--data-binary", "@/var/lib/palisade/body.json", "https://198.18.0.141:29002/v1/notify"];
        Assert.Contains("accepted: journaled on n1", (await c.Lab.ExecCaptureAsync("n2", post, TimeSpan.FromSeconds(30), c.Ct)).Stdout, StringComparison.Ordinal);
        Assert.Contains("message replayed-1 was accepted before: not applied again", (await c.Lab.ExecCaptureAsync("n2", post, TimeSpan.FromSeconds(30), c.Ct)).Stdout, StringComparison.Ordinal);
        Assert.Equal(2, (await c.CliAsync("n1", "events")).Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
