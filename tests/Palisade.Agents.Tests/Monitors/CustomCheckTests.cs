using Palisade.Agents.Monitors;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

public sealed class CustomCheckTests
{
    private static Task<CheckResult> Run(string command, TimeSpan? timeout = null) =>
        new CustomCheck("web-check", command, TimeProvider.System).CheckAsync(timeout ?? TimeSpan.FromSeconds(10), CancellationToken.None);

    [Theory]
    [InlineData("exit 0", CheckOutcome.Normal, "exited 0")]
    [InlineData("echo 'port 80 closed' >&2; exit 1", CheckOutcome.Error, "exited 1: port 80 closed")]
    [InlineData("echo 'disk 91% full'; exit 2", CheckOutcome.Warning, "exited 2: disk 91% full")]
    [InlineData("exit 5", CheckOutcome.Error, "exited 5")]
    [InlineData("exit 127", CheckOutcome.Error, "exited 127")]
    public async Task The_exit_code_decides(string command, CheckOutcome outcome, string reason)
    {
        CheckResult result = await Run(command);

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(reason, result.Reason);
        Assert.True(result.Duration > TimeSpan.Zero);
    }

    [Fact]
    public async Task The_command_sees_the_monitor_name()
    {
        CheckResult result = await Run("test \"$PALISADE_MONITOR\" = web-check");

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
    }

    [Fact]
    public async Task A_command_still_running_at_the_timeout_times_out_and_is_killed()
    {
        string marker = Path.Combine(Path.GetTempPath(), $"palisade-custom-{Guid.NewGuid():N}");

        CheckResult result = await Run($"sleep 30; touch {marker}", TimeSpan.FromSeconds(1));

        Assert.Equal(CheckOutcome.TimedOut, result.Outcome);
        Assert.Equal("did not finish within 1s", result.Reason);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(2.5));
        Assert.False(File.Exists(marker));
    }
}
