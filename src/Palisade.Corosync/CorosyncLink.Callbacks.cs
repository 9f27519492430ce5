using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Palisade.Corosync.Native;

namespace Palisade.Corosync;

/// <summary>
/// Native callbacks. They run only on the dispatch thread, inside cpg_dispatch/quorum_dispatch, and find their
/// link through the context pointer (a GCHandle) registered with the library handle.
/// </summary>
public sealed partial class CorosyncLink
{
    [UnmanagedCallersOnly]
    private static unsafe void OnCpgDeliver(ulong handle, CpgName* group, uint nodeId, uint pid, void* message, nuint length)
    {
        var link = FromContext(CpgNative.ContextGet(handle, out var context), context);
        try
        {
            link?.Publish(new CpgMessage(nodeId, pid, new ReadOnlySpan<byte>(message, checked((int)length)).ToArray()));
        }
        catch (Exception ex)
        {
            link?.CallbackFailed(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnCpgConfChg(
        ulong handle,
        CpgName* group,
        CpgAddress* members,
        nuint memberCount,
        CpgAddress* left,
        nuint leftCount,
        CpgAddress* joined,
        nuint joinedCount)
    {
        var link = FromContext(CpgNative.ContextGet(handle, out var context), context);
        try
        {
            link?.OnMembership(new CpgMembershipChanged(
                ToMembers(members, memberCount), ToMembers(left, leftCount), ToMembers(joined, joinedCount)));
        }
        catch (Exception ex)
        {
            link?.CallbackFailed(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnTotemConfChg(ulong handle, CpgRingId ringId, uint memberCount, uint* members)
    {
        var link = FromContext(CpgNative.ContextGet(handle, out var context), context);
        try
        {
            link?.OnTotem(new TotemMembershipChanged(ringId.Seq, ToNodeIds(members, memberCount)));
        }
        catch (Exception ex)
        {
            link?.CallbackFailed(ex);
        }
    }

    [UnmanagedCallersOnly]
    private static unsafe void OnQuorumNotify(ulong handle, uint quorate, ulong ringSeq, uint memberCount, uint* members)
    {
        var link = FromContext(QuorumNative.ContextGet(handle, out var context), context);
        try
        {
            link?.OnQuorum(new QuorumChanged(quorate != 0, ToNodeIds(members, memberCount)));
        }
        catch (Exception ex)
        {
            link?.CallbackFailed(ex);
        }
    }

    private static CorosyncLink? FromContext(CsError rc, nint context) =>
        rc == CsError.Ok && context != 0 ? GCHandle.FromIntPtr(context).Target as CorosyncLink : null;

    private static unsafe CpgMember[] ToMembers(CpgAddress* addresses, nuint count)
    {
        var result = new CpgMember[checked((int)count)];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = new CpgMember(addresses[i].NodeId, addresses[i].Pid, (CpgReason)addresses[i].Reason);
        }

        return result;
    }

    private static unsafe uint[] ToNodeIds(uint* nodeIds, uint count) =>
        count == 0 ? [] : new ReadOnlySpan<uint>(nodeIds, checked((int)count)).ToArray();

    private void Publish(CorosyncEvent corosyncEvent)
    {
        // After a failed callback nothing more is published: the stream ends with CorosyncLost instead of a gap.
        if (_callbackFailure is null)
        {
            _events.Writer.TryWrite(corosyncEvent);
        }
    }

    private void OnMembership(CpgMembershipChanged change)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.CpgMembershipChanged(
                _logger, _groupName, FormatMembers(change.Members, false), FormatMembers(change.Left, true), FormatMembers(change.Joined, true));
        }

        Publish(change);
    }

    private void OnTotem(TotemMembershipChanged change)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.TotemMembershipChanged(_logger, change.RingSeq, string.Join(", ", change.Members));
        }

        Publish(change);
    }

    private void OnQuorum(QuorumChanged change)
    {
        if (_logger.IsEnabled(LogLevel.Information))
        {
            Log.QuorumChanged(_logger, change.Quorate, string.Join(", ", change.Members));
        }

        Publish(change);
    }

    // Stops the stream: a dropped callback would silently break the agreed order consumers rely on.
    private void CallbackFailed(Exception exception)
    {
        _callbackFailure ??= exception;
        Log.CallbackFailed(_logger, exception);
    }

    private static string FormatMembers(IReadOnlyList<CpgMember> members, bool withReason) =>
        string.Join(", ", members.Select(m => withReason
            ? $"node {m.NodeId} pid {m.Pid} ({m.Reason})"
            : $"node {m.NodeId} pid {m.Pid}"));
}
