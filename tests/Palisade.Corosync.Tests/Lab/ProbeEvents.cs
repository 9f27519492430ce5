using System.Text.Json;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>Readers for the probe's JSON lines.</summary>
internal static class ProbeEvents
{
    public static bool Is(JsonElement e, string name) => ProbeProcess.EventName(e) == name;

    /// <summary>A cpg event's list ("members", "left" or "joined") as (node, pid, reason) triples.</summary>
    public static List<(uint NodeId, uint Pid, string Reason)> Members(JsonElement e, string list) =>
        [.. e.GetProperty(list).EnumerateArray().Select(m =>
            (m.GetProperty("nodeId").GetUInt32(), m.GetProperty("pid").GetUInt32(), m.GetProperty("reason").GetString() ?? string.Empty))];

    /// <summary>A cpg event's list as (node, pid) pairs, ignoring reasons.</summary>
    public static List<(uint NodeId, uint Pid)> Processes(JsonElement e, string list) =>
        [.. Members(e, list).Select(m => (m.NodeId, m.Pid))];

    /// <summary>The "members" node id array of a totem or quorum event.</summary>
    public static List<uint> NodeIds(JsonElement e) =>
        [.. e.GetProperty("members").EnumerateArray().Select(n => n.GetUInt32())];

    public static bool IsQuorum(JsonElement e, bool quorate, params uint[] nodeIds) =>
        Is(e, "quorum") && e.GetProperty("quorate").GetBoolean() == quorate && NodeIds(e).SequenceEqual(nodeIds);

    public static bool IsTotem(JsonElement e, params uint[] nodeIds) =>
        Is(e, "totem") && NodeIds(e).SequenceEqual(nodeIds);

    /// <summary>A cpg event whose member list is exactly these processes (corosync's list order is not part of the contract).</summary>
    public static bool IsCpgMembers(JsonElement e, params (uint NodeId, uint Pid)[] members) =>
        Is(e, "cpg") && Processes(e, "members").Order().SequenceEqual(members.Order());

    public static string Text(JsonElement e) => e.GetProperty("text").GetString() ?? string.Empty;

    public static string NewGroup() => $"pctest-{Guid.NewGuid():N}";
}
