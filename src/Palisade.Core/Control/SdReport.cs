using Palisade.Core.Shutdown;

namespace Palisade.Core.Control;

/// <summary>One row of <c>palisade sd -s</c>: a (node, agent) pair as this node's shutdown daemon sees it.</summary>
/// <param name="LastTestWorked">When a test of this path last worked, since the shutdown daemon started.</param>
public sealed record SdRow(string ClusterHost, int Index, string Agent, string SaState, string ShutState, string TestState, string InitState, string Reason,
    DateTimeOffset? LastTestWorked = null);

/// <summary>What <c>palisade sd</c> shows: the local daemon's table, the fence history, or the effective configuration.</summary>
public sealed record SdReport(string Node, bool Running)
{
    public IReadOnlyList<SdRow>? Rows { get; init; }

    public IReadOnlyList<FenceRecord>? History { get; init; }

    /// <summary>The effective shutdown configuration with every secret redacted (<c>-C</c>).</summary>
    public string? Config { get; init; }

    public static IReadOnlyList<SdRow> RowsOf(ShutdownTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return [.. table.Rows.Select(r => new SdRow(r.Target, r.Index, r.Agent, ShutdownText.Of(r.Sa), ShutdownText.Of(r.Shut),
            ShutdownText.Of(r.Test), ShutdownText.Of(r.Init), r.Reason, r.LastTestWorked))];
    }
}
