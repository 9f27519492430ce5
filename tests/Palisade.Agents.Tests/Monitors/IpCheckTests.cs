using System.Globalization;
using Palisade.Agents.Monitors;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

/// <summary>
/// The ip monitor's check. Echoes to 198.18.0.x run inside the test's network namespace (never through the host's
/// routes); loopback runs here.
/// </summary>
public sealed class IpCheckTests(TestNetworkNamespace network) : IClassFixture<TestNetworkNamespace>
{
    [Fact]
    public async Task An_answering_address_is_normal_at_once()
    {
        CheckResult result = await new IpCheck(["127.0.0.1"], TimeProvider.System).CheckAsync(TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
        Assert.Matches(@"^answered: 127\.0\.0\.1 in \d+ms$", result.Reason);
        Assert.True(result.Duration < TimeSpan.FromSeconds(1), $"took {result.Duration}");
    }

    [Fact]
    public async Task One_answer_is_enough()
    {
        var (outcome, reason, duration) = await InNamespaceAsync(5000, TestNetworkNamespace.Silent, TestNetworkNamespace.Answering);

        Assert.Equal(CheckOutcome.Normal, outcome);
        Assert.StartsWith($"answered: {TestNetworkNamespace.Answering} in ", reason, StringComparison.Ordinal);
        Assert.Contains($"not (yet): {TestNetworkNamespace.Silent}: ", reason, StringComparison.Ordinal);
        Assert.True(duration < TimeSpan.FromSeconds(2), $"took {duration}");
    }

    [Fact]
    public async Task No_answer_within_the_timeout_is_an_error()
    {
        var (outcome, reason, duration) = await InNamespaceAsync(1000, TestNetworkNamespace.Silent, "not-an-address");

        Assert.Equal(CheckOutcome.Error, outcome);
        Assert.Matches(@"^no address answered within 1s: 198\.18\.0\.250: (\d echoes unanswered|1 echo unanswered|.+); not-an-address: not an IP address$", reason);
        Assert.InRange(duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2));
    }

    private async Task<(CheckOutcome Outcome, string Reason, TimeSpan Duration)> InNamespaceAsync(int timeoutMs, params string[] addresses)
    {
        ProcessResult run = await network.RunTestProgramAsync(["ipcheck", timeoutMs.ToString(CultureInfo.InvariantCulture), .. addresses]);
        string[] lines = run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(run.ExitCode == 0 && lines.Length == 3, $"exit {run.ExitCode}\nstdout: {run.StandardOutput}\nstderr: {run.StandardError}");
        return (Enum.Parse<CheckOutcome>(lines[0]), lines[1], TimeSpan.FromMilliseconds(int.Parse(lines[2], CultureInfo.InvariantCulture)));
    }
}
