using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>The <c>alerts:</c> section: defaults, each bad value at its place with why, and the written form read back.</summary>
public sealed class AlertsConfigTests
{
    private const string Head = """
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}

        """;

    [Fact]
    public void Agents_and_webhooks_take_their_defaults_and_are_written_back_the_same()
    {
        var result = ConfigLoader.Parse(Head + """
            alerts:
              - name: file
                type: agent
                path: /usr/share/pacemaker/alerts/alert_file.sh.sample
                recipients: [/var/log/cluster-alerts.log, /var/log/other.log]
              - name: hook
                type: webhook
                url: https://alerts.example.net:8443/palisade
                token_file: /etc/palisade/hook.token
                ca: /etc/palisade/hook-ca.pem
                select: [nodes, fencing, resources, attributes]
                timeout: 5s
              - {name: local, type: webhook, url: "http://127.0.0.1:9000/x"}
            """, "c.yaml");
        Assert.True(result.Ok, string.Join('\n', result.Errors));
        var alerts = result.Config!.Alerts;
        Assert.Equal(["file", "hook", "local"], alerts.Select(a => a.Name).ToArray());
        var file = alerts[0];
        Assert.Equal((AlertType.Agent, "%H:%M:%S.%06N", TimeSpan.FromSeconds(30)), (file.Type, file.TimestampFormat, file.Timeout));
        Assert.Equal([AlertKind.Node, AlertKind.Fencing, AlertKind.Resource], file.Kinds.ToArray());
        Assert.Equal(["/var/log/cluster-alerts.log", "/var/log/other.log"], file.Targets.ToArray());
        Assert.Equal(4, alerts[1].Kinds.Length);
        Assert.Equal(("https://alerts.example.net:8443/palisade", TimeSpan.FromSeconds(5)), (alerts[1].Url!.OriginalString, alerts[1].Timeout));
        Assert.Equal([""], alerts[2].Targets.ToArray());

        var written = ConfigYamlWriter.Write(result.Config, redactSecrets: true);
        var again = ConfigLoader.Parse(written, "again.yaml");
        Assert.True(again.Ok, string.Join('\n', again.Errors));
        Assert.Equal(alerts.Length, again.Config!.Alerts.Length);
        for (var i = 0; i < alerts.Length; i++)
        {
            var (a, b) = (alerts[i], again.Config.Alerts[i]);
            Assert.Equal((a.Name, a.Type, a.Path, a.TimestampFormat, a.Timeout, a.Url, a.TokenFile, a.Ca), (b.Name, b.Type, b.Path, b.TimestampFormat, b.Timeout, b.Url, b.TokenFile, b.Ca));
            Assert.Equal(a.Recipients.ToArray(), b.Recipients.ToArray());
            Assert.Equal(a.Kinds.ToArray(), b.Kinds.ToArray());
        }

        Assert.Equal(written, ConfigYamlWriter.Write(again.Config, redactSecrets: true));
    }

    [Theory]
    [InlineData("alerts: {name: x}", "c.yaml:4:9: alerts: expected a list of alerts, got a mapping")]
    [InlineData("alerts:\n  - {type: agent, path: /bin/true}", "c.yaml:5:5: alerts[0].name: required; expected 1 to 64 characters from A-Z, a-z, 0-9, '_' and '-'")]
    [InlineData("alerts:\n  - {name: a, type: mail}", "c.yaml:5:21: alerts[0].type: expected agent or webhook, got 'mail'")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: alert.sh}", "c.yaml:5:34: alerts[0].path: expected an absolute path, got 'alert.sh'")]
    [InlineData("alerts:\n  - {name: a, type: agent}", "c.yaml:5:5: alerts[0].path: required; expected a non-empty text")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true}\n  - {name: a, type: agent, path: /bin/true}", "c.yaml:6:12: alerts[1].name: duplicate alert name 'a' (also used at line 5)")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, url: https://x.example}", "c.yaml:5:45: alerts[0].url: unknown key 'url' (expected one of: name, type, select, timeout, path, recipients, timestamp_format)")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: https://x.example, path: /bin/true}", "c.yaml:5:54: alerts[0].path: unknown key 'path' (expected one of: name, type, select, timeout, url, token_file, ca)")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, recipients: [x, x]}", "c.yaml:5:61: alerts[0].recipients[1]: recipient 'x' is listed twice")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, recipients: x}", "c.yaml:5:57: alerts[0].recipients: expected a list of recipients (each a non-empty text on one line), got 'x'")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, timestamp_format: \"%H:%Q\"}", "c.yaml:5:63: alerts[0].timestamp_format: '%Q' at position 4 is not a supported directive (%a %A %b %B %d %e %H %I %j %m %M %p %S %y %Y %z %Z %s %F %T %% and %N, %3N, %06N for the fraction of a second)")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, timestamp_format: \"%012N\"}", "c.yaml:5:63: alerts[0].timestamp_format: '%012N' at position 1: the fraction of a second has 1 to 9 digits")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, timestamp_format: \"%H %\"}", "c.yaml:5:63: alerts[0].timestamp_format: '%' at position 4 ends the format without a directive")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, select: [nodes, disks]}", "c.yaml:5:61: alerts[0].select[1]: expected one of nodes, fencing, resources, attributes, got 'disks'")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, select: [nodes, nodes]}", "c.yaml:5:61: alerts[0].select[1]: 'nodes' is selected twice")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, select: []}", "c.yaml:5:53: alerts[0].select: expected a list of kinds: nodes, fencing, resources, attributes, got an empty list")]
    [InlineData("alerts:\n  - {name: a, type: agent, path: /bin/true, timeout: 0s}", "c.yaml:5:54: alerts[0].timeout: expected a duration between 1s and 24h, got '0s'")]
    [InlineData("alerts:\n  - {name: a, type: webhook}", "c.yaml:5:5: alerts[0].url: required; expected a non-empty text")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: \"ftp://x.example/\"}", "c.yaml:5:35: alerts[0].url: expected an https:// URL (http:// only to a loopback address), got 'ftp://x.example/'")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: \"http://198.18.0.1/\"}", "c.yaml:5:35: alerts[0].url: plain http:// is allowed only to a loopback address (127.0.0.1, ::1), not to '198.18.0.1': use https://")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: \"https://u:p@x.example/\"}", "c.yaml:5:35: alerts[0].url: a URL must not hold a user or password: give the token in token_file")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: https://x.example, token_file: hook.token}", "c.yaml:5:66: alerts[0].token_file: expected an absolute path, got 'hook.token'")]
    [InlineData("alerts:\n  - {name: a, type: webhook, url: \"http://127.0.0.1/\", ca: /etc/ca.pem}", "c.yaml:5:60: alerts[0].ca: a CA verifies an HTTPS server: this url is plain HTTP")]
    public void Each_bad_value_is_reported_at_its_place_with_why(string alerts, string error)
    {
        var result = ConfigLoader.Parse(Head + alerts + "\n", "c.yaml");

        Assert.False(result.Ok);
        Assert.Equal([error], result.Errors.Select(e => e.ToString()).ToArray());
    }

    [Theory]
    [InlineData("%H:%M:%S.%06N", "13:04:05.123456")]
    [InlineData("%Y-%m-%d %T.%3N", "2026-12-05 13:04:05.123")]
    [InlineData("%s %N %%", "1796475845 123456700 %")]
    public void Timestamps_are_written_as_Pacemaker_writes_them(string format, string expected)
    {
        var at = new DateTimeOffset(2026, 12, 5, 13, 4, 5, TimeSpan.Zero).AddTicks(1_234_567);
        Assert.Null(AlertTimestamp.Problem(format));
        Assert.Equal(expected, AlertTimestamp.Format(format, at));
    }

    [Fact]
    public void The_example_of_the_alerts_documentation_is_valid()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "docs", "alerts.md")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        var text = File.ReadAllText(Path.Combine(dir.FullName, "docs", "alerts.md"));
        var example = System.Text.RegularExpressions.Regex.Match(text, "```yaml\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline).Groups[1].Value;

        var result = ConfigLoader.Parse(Head + example, "alerts.md");

        Assert.True(result.Ok, string.Join('\n', result.Errors));
        Assert.Equal(["file", "ops-webhook"], result.Config!.Alerts.Select(a => a.Name).ToArray());
    }
}
