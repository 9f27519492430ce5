using System.Diagnostics;
using System.Globalization;

namespace Palisade.Scenarios;

/// <summary>
/// Processes of the lab's nodes. The nodes share the host's pid namespace, so <c>pidof</c> alone sees every node's
/// processes; a node's own are those also in its network namespace (<c>pal-NODE</c>).
/// </summary>
public static class NodeProcesses
{
    /// <summary>Every process running <paramref name="program"/>, on any node.</summary>
    public static async Task<IReadOnlyList<int>> AllAsync(string program) =>
        [.. Numbers(await RunAsync("pidof", program).ConfigureAwait(false))];

    /// <summary>The processes running <paramref name="program"/> inside <paramref name="node"/>.</summary>
    public static async Task<IReadOnlyList<int>> InNodeAsync(string node, string program)
    {
        var inNode = Numbers(await RunAsync("ip", "netns", "pids", $"pal-{node}").ConfigureAwait(false)).ToHashSet();
        return [.. (await AllAsync(program).ConfigureAwait(false)).Where(inNode.Contains)];
    }

    private static IEnumerable<int> Numbers(string text) =>
        text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.Parse(p, CultureInfo.InvariantCulture));

    private static async Task<string> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var text = await p.StandardOutput.ReadToEndAsync().ConfigureAwait(false);
        await p.WaitForExitAsync().ConfigureAwait(false);
        return text;
    }
}
