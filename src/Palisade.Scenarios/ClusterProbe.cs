using System.Text.Json;
using Palisade.Core.Status;
using Palisade.Lab;

namespace Palisade.Scenarios;

/// <summary>Asks a lab node's palisaded for its status, exactly as an operator on that node would.</summary>
public sealed class ClusterProbe(LabController lab, string cli = "/usr/local/bin/palisade")
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The node <paramref name="group"/> is Online on, as the first of <paramref name="nodes"/> that answers says.</summary>
    public async Task<string> OwnerAsync(string group, IReadOnlyList<string> nodes, CancellationToken ct)
    {
        foreach (var node in nodes)
        {
            if (await StatusAsync(node, ct).ConfigureAwait(false) is { } s && Group(s, group) is { State: "Online", Node: { } owner })
            {
                return owner;
            }
        }

        throw new InvalidOperationException($"{group} is not Online anywhere");
    }

    /// <summary>The node's status, or null if its palisaded does not answer.</summary>
    public async Task<StatusReport?> StatusAsync(string node, CancellationToken ct)
    {
        ExecResult r;
        try
        {
            r = await lab.ExecCaptureAsync(node, [cli, "status", "--output", "json"], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        catch (LabException e) when (e is not LabUsageException)
        {
            return null; // the node is powered off or its namespace is gone: nothing answers there
        }

        if (r.ExitCode != 0)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<StatusReport>(r.Stdout, Json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Polls <paramref name="node"/> until <paramref name="condition"/> holds; throws with the last status on timeout.</summary>
    public async Task<StatusReport> WaitAsync(string node, Func<StatusReport, bool> condition, TimeSpan timeout, string what, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        StatusReport? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = await StatusAsync(node, ct).ConfigureAwait(false) ?? last;
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100, ct).ConfigureAwait(false);
        }

        var seen = last is null ? "no status" : StatusText.Render(last);
        throw new TimeoutException($"{what}: not reached within {timeout.TotalSeconds:F0} s on {node}; last status:\n{seen}");
    }

    public static GroupReport? Group(StatusReport s, string group) => s.Groups.FirstOrDefault(g => g.Name == group);

    public static NodeReport? Node(StatusReport s, string node) => s.Nodes.FirstOrDefault(n => n.Name == node);

    /// <summary>Online (on <paramref name="node"/>, if given) with every resource started: one whose monitor failed does not count.</summary>
    public static bool GroupOnline(StatusReport s, string group, string? node = null) =>
        Group(s, group) is { State: "Online" } g && (node is null || g.Node == node) && g.Resources.All(r => r.State == "Started");
}
