using System.Collections.Immutable;
using System.Globalization;
using Palisade.Core.Configuration;

namespace Palisade.Agents.Tests;

/// <summary>
/// The entry point when this assembly runs as a program (<c>dotnet exec Palisade.Agents.Tests.dll icmp ...</c>):
/// runs one icmp agent action (or one ip monitor check) and prints its outcome and reason. A test starts it with <c>ip netns exec</c> inside a
/// network namespace it created, because a whole process can live in a namespace while a test's thread pool cannot,
/// and echoes to 198.18.0.x must never leave through the host's routes.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["ipcheck", string checkTimeoutMs, .. var targets])
        {
            // The ip monitor's check: outcome, reason, duration in ms.
            var check = new Palisade.Agents.Monitors.IpCheck(targets, TimeProvider.System);
            var outcome = await check.CheckAsync(TimeSpan.FromMilliseconds(int.Parse(checkTimeoutMs, CultureInfo.InvariantCulture)), CancellationToken.None);
            Console.WriteLine(outcome.Outcome);
            Console.WriteLine(outcome.Reason);
            Console.WriteLine(outcome.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));
            return 0;
        }

        if (args is not ["icmp", string action and ("kill" or "test"), string addresses, string count, string interval, string timeoutMs])
        {
            await Console.Error.WriteLineAsync("usage: icmp kill|test ADDRESSES COUNT INTERVAL_MS TIMEOUT_MS");
            return 2;
        }

        var config = new ShutdownAgentConfig
        {
            Type = "icmp",
            Timeout = TimeSpan.FromMilliseconds(int.Parse(timeoutMs, CultureInfo.InvariantCulture)),
            Parameters = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, new Dictionary<string, string>
            {
                ["addresses"] = addresses,
                ["count"] = count,
                ["interval"] = interval,
            }),
        };
        var loggers = new ListLoggerFactory();
        using var services = new ShutdownAgentServices(loggers, TimeProvider.System);
        IShutdownAgent agent = ShutdownAgentFactory.Create(config, new ShutdownTarget("n2", 2, []), services);
        AgentResult result = action == "kill" ? await agent.KillAsync(CancellationToken.None) : await agent.TestAsync(CancellationToken.None);
        Console.WriteLine(result.Outcome);
        Console.WriteLine(result.Reason);
        Console.WriteLine(result.Duration.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture));

        // The agent's log lines, for a failing test to show.
        foreach (string line in loggers.Lines)
        {
            await Console.Error.WriteLineAsync(line);
        }

        return 0;
    }
}
