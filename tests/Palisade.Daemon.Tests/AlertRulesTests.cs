using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>
/// The shipped Prometheus alert rules (deploy/prometheus) load in promtool and fire as their unit tests say; every
/// metric they use is one palisaded serves.
/// </summary>
public sealed partial class AlertRulesTests
{
    private const string Promtool = "/opt/palisade/tools/promtool";

    [Fact]
    public async Task The_rules_are_valid_and_their_promtool_unit_tests_pass()
    {
        Assert.True(File.Exists(Promtool), $"{Promtool} is missing: scripts/install.sh fetches it");
        var dir = Path.Combine(RepoRoot.Path, "deploy", "prometheus");

        var check = await RunAsync(dir, "check", "rules", "palisade-alerts.yml");
        Assert.True(check.Code == 0, check.Output);
        Assert.Contains("SUCCESS: 7 rules found", check.Output, StringComparison.Ordinal);
        var test = await RunAsync(dir, "test", "rules", "palisade-alerts.test.yml");
        Assert.True(test.Code == 0, test.Output);
    }

    [Fact]
    public void Every_metric_the_rules_use_is_served()
    {
        var rules = File.ReadAllText(Path.Combine(RepoRoot.Path, "deploy", "prometheus", "palisade-alerts.yml"));
        var served = File.ReadAllText(Path.Combine(RepoRoot.Path, "src", "Palisade.Daemon", "Api", "PrometheusText.cs"));
        var used = Metric().Matches(rules).Select(m => m.Value).Distinct().ToList();

        Assert.NotEmpty(used);
        Assert.All(used, name => Assert.Contains($"\"{name}\"", served, StringComparison.Ordinal));
    }

    [GeneratedRegex("palisade_[a-z_]+")]
    private static partial Regex Metric();

    private static async Task<(int Code, string Output)> RunAsync(string dir, params string[] args)
    {
        var start = new ProcessStartInfo(Promtool) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        args.ToList().ForEach(start.ArgumentList.Add);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(limit.Token);
        return (process.ExitCode, await output + await error);
    }
}
