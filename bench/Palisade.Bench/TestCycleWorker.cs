using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Agents;
using Palisade.Configuration;

namespace Palisade.Bench;

/// <summary>Median test duration and successes of one agent type in one cycle.</summary>
internal sealed record TypeCycle(string Type, int Worked, int Total, double MedianMs);

/// <summary>One test cycle as the worker measured it; <paramref name="Cycle"/> 0 is the warm-up.</summary>
internal sealed record CycleReport(int Cycle, double WallMs, double CpuMs, int Worked, int Total, IReadOnlyList<TypeCycle> Types, IReadOnlyList<string> Failures);

/// <summary>
/// Runs inside a lab node (so the BMC LAN is reachable): builds every (target, agent) pair of a generated cluster file
/// through the public agent API, as palisaded does, initialises them, then runs test cycles like the shutdown daemon's
/// (every pair, at most <c>parallel</c> at once) and prints one JSON line per cycle.
/// Arguments: <c>--cycles N --bmcs A,B,C [--targets 32] [--parallel 8]</c>.
/// </summary>
internal static class TestCycleWorker
{
    public const string Command = "test-cycle-worker";

    /// <summary>What the shutdown daemon allows an agent beyond its own timeout.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TimeProvider time)
    {
        var cycles = Number(args, "--cycles", 5);
        var targets = Number(args, "--targets", 32);
        var parallel = Number(args, "--parallel", 8);
        var bmcs = Value(args, "--bmcs")?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        if (bmcs.Length == 0 || targets is < 1 or > 32 || parallel < 1)
        {
            await Console.Error.WriteLineAsync($"usage: Palisade.Bench {Command} --cycles N --bmcs A,B,C [--targets 1-32] [--parallel N]");
            return 2;
        }

        var loaded = ConfigLoader.Parse(Cluster(targets, bmcs), "test-cycle.yaml");
        if (!loaded.Ok)
        {
            await Console.Error.WriteLineAsync("generated cluster file rejected:\n" + string.Join("\n", loaded.Errors));
            return 1;
        }

        await using var services = new ShutdownAgentServices(NullLoggerFactory.Instance, time);
        var pairs = loaded.Config!.Nodes
            .SelectMany(n => n.ShutdownAgents.Select(a => (Agent: ShutdownAgentFactory.Create(a, ShutdownAgentFactory.TargetOf(n), services), a.Timeout)))
            .ToList();
        var init = await Task.WhenAll(pairs.Select(p => CallAsync(p.Agent, p.Timeout, time, (a, ct) => a.InitAsync(ct))));
        if (init.FirstOrDefault(r => !r.Succeeded) is { } failed)
        {
            await Console.Error.WriteLineAsync($"{init.Count(r => !r.Succeeded)} of {init.Length} agents failed to initialise, e.g. {failed.Reason}");
            return 1;
        }

        // Cycle 0 warms up (JIT, connection set-up inside the agents) and is reported apart from the measured ones.
        for (var cycle = 0; cycle <= cycles; cycle++)
        {
            var report = await CycleAsync(cycle, pairs, parallel, time);
            Console.WriteLine(JsonSerializer.Serialize(report, Json));
        }

        return 0;
    }

    /// <summary>Target t{k} uses the BMCs in turn: ipmi, fence_ipmilan (Test runs its monitor action), then Redfish.</summary>
    private static string Cluster(int targets, IReadOnlyList<string> bmcs) =>
        BenchCluster.Yaml("cycle", [.. Enumerable.Range(0, targets).Select(k => (IReadOnlyList<string>)
            [BenchAgents.Ipmi(bmcs[k % bmcs.Count]), BenchAgents.FenceIpmilan(bmcs[k % bmcs.Count]), BenchAgents.Redfish(bmcs[k % bmcs.Count])])],
            withGroup: false, prefix: "t");

    private static async Task<CycleReport> CycleAsync(int cycle, IReadOnlyList<(IShutdownAgent Agent, TimeSpan Timeout)> pairs, int parallel, TimeProvider time)
    {
        var cpu = CpuClock.Used();
        var started = time.GetTimestamp();
        using var slots = new SemaphoreSlim(parallel);
        var results = await Task.WhenAll(pairs.Select(async p =>
        {
            await slots.WaitAsync();
            try
            {
                return (p.Agent.Type, Result: await CallAsync(p.Agent, p.Timeout, time, (a, ct) => a.TestAsync(ct)));
            }
            finally
            {
                slots.Release();
            }
        }));
        var wall = time.GetElapsedTime(started);
        var used = CpuClock.Used() - cpu;
        var types = results.GroupBy(r => r.Type)
            .Select(g => new TypeCycle(g.Key, g.Count(r => r.Result.Succeeded), g.Count(), Stats.Median(g.Select(r => r.Result.Duration.TotalMilliseconds))))
            .ToList();
        var failures = results.Where(r => !r.Result.Succeeded).Select(r => $"{r.Result.Outcome}: {r.Result.Reason}").Take(3).ToList();
        return new CycleReport(cycle, wall.TotalMilliseconds, used.TotalMilliseconds, results.Count(r => r.Result.Succeeded), results.Length, types, failures);
    }

    /// <summary>One agent call, bounded like the daemon bounds it: the agent's timeout plus a guard.</summary>
    private static async Task<AgentResult> CallAsync(IShutdownAgent agent, TimeSpan timeout, TimeProvider time, Func<IShutdownAgent, CancellationToken, Task<AgentResult>> call)
    {
        var started = time.GetTimestamp();
        using var guard = new CancellationTokenSource(timeout + Guard, time);
        try
        {
            return await call(agent, guard.Token);
        }
        catch (OperationCanceledException)
        {
            return new AgentResult(AgentOutcome.TimedOut, null, $"{agent.Type}: no answer within {timeout.TotalSeconds:0.#} s", "", time.GetElapsedTime(started));
        }
    }

    private static string? Value(IReadOnlyList<string> args, string name)
    {
        var i = args.ToList().IndexOf(name);
        return i >= 0 && i + 1 < args.Count ? args[i + 1] : null;
    }

    private static int Number(IReadOnlyList<string> args, string name, int fallback) =>
        int.TryParse(Value(args, name), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : fallback;
}
