using Xunit;

namespace Palisade.Configuration.Tests;

/// <summary>A resource's own monitor takes the settings of the listed monitors: start delay and what a timeout means.</summary>
public sealed class ResourceMonitorSettingsTests
{
    private static string Config(string extra) => $$"""
        cluster: {name: lab}
        nodes:
          - {name: n1, id: 1, interconnect: 10.0.0.1}
        groups:
          - name: web
            nodes: [n1]
            resources:
              - name: app
                type: exec
                start: /bin/true
                stop: /bin/true
                monitor: /bin/true
                monitor_interval: 5s
        {{extra}}
        """;

    [Fact]
    public void Start_delay_and_on_timeout_are_read_defaulted_and_written_back()
    {
        var plain = ConfigLoader.Parse(Config(""), "c.yaml");
        Assert.True(plain.Ok, string.Join('\n', plain.Errors));
        var app = plain.Config!.Groups[0].Resources[0];
        Assert.Equal((TimeSpan.Zero, true), (app.MonitorStartDelay, app.MonitorTimeoutIsError));

        var set = ConfigLoader.Parse(Config("        monitor_start_delay: 30s\n        monitor_on_timeout: ignore"), "c.yaml");
        Assert.True(set.Ok, string.Join('\n', set.Errors));
        var again = ConfigLoader.Parse(ConfigYamlWriter.Write(set.Config!, redactSecrets: true), "again.yaml");
        var read = again.Config!.Groups[0].Resources[0];
        Assert.Equal((TimeSpan.FromSeconds(30), false), (read.MonitorStartDelay, read.MonitorTimeoutIsError));
    }

    [Fact]
    public void A_wrong_value_is_reported_at_its_place()
    {
        var result = ConfigLoader.Parse(Config("        monitor_on_timeout: retry"), "c.yaml");
        Assert.Equal(["c.yaml:14:29: groups[0].resources[0].monitor_on_timeout: expected error or ignore, got 'retry'"], result.Errors.Select(e => e.ToString()).ToArray());
    }
}
