using System.Runtime.InteropServices;
using Palisade.Corosync.Native;

namespace Palisade.Corosync;

/// <summary>Setting up and tearing down the native handles.</summary>
public sealed partial class CorosyncLink
{
    private static readonly TimeSpan LeaveBudget = TimeSpan.FromSeconds(1);

    private int _cpgFd = -1;
    private int _quorumFd = -1;

    private unsafe void Connect()
    {
        _self = GCHandle.Alloc(this);
        var context = GCHandle.ToIntPtr(_self);
        var model = new CpgModelV1Data
        {
            Model = CpgModelV1Data.ModelV1,
            Deliver = &OnCpgDeliver,
            ConfChg = &OnCpgConfChg,
            TotemConfChg = &OnTotemConfChg,
            Flags = CpgModelV1Data.DeliverInitialTotemConf,
        };
        var modelData = &model;
        var rc = RetryWhileBusy(() => CpgNative.ModelInitialize(out _cpg, CpgModelV1Data.ModelV1, modelData, context));
        if (rc != CsError.Ok)
        {
            throw new CorosyncException(
                $"cannot connect to corosync: {CsErrorText.Describe(rc)}; is corosync running in this namespace?", (int)rc);
        }

        ThrowIfFailed(CpgNative.LocalGet(_cpg!, out var nodeId), "cpg_local_get");
        LocalNodeId = nodeId;
        ThrowIfFailed(CpgNative.FdGet(_cpg!, out _cpgFd), "cpg_fd_get");
        var group = _group;
        var groupPtr = &group;
        ThrowIfFailed(RetryWhileBusy(() => CpgNative.Join(_cpg!, groupPtr)), $"cpg_join({_groupName})");

        ConnectQuorum(context);
        var callbacks = default(VotequorumCallbacks);
        var callbacksPtr = &callbacks;
        ThrowIfFailed(RetryWhileBusy(() => VotequorumNative.Initialize(out _votequorum, callbacksPtr)), "votequorum_initialize");
    }

    private unsafe void ConnectQuorum(nint context)
    {
        var callbacks = new QuorumCallbacks { Notify = &OnQuorumNotify };
        var callbacksPtr = &callbacks;
        ThrowIfFailed(RetryWhileBusy(() => QuorumNative.Initialize(out _quorum, callbacksPtr, out _)), "quorum_initialize");
        ThrowIfFailed(QuorumNative.ContextSet(_quorum!, context), "quorum_context_set");
        ThrowIfFailed(QuorumNative.FdGet(_quorum!, out _quorumFd), "quorum_fd_get");

        // corosync answers a CS_TRACK_CHANGES trackstart with the current state, so the first event is a baseline.
        ThrowIfFailed(RetryWhileBusy(() => QuorumNative.TrackStart(_quorum!, QuorumNative.TrackChanges)), "quorum_trackstart");
    }

    private CsError RetryWhileBusy(Func<CsError> call)
    {
        var backoff = new TryAgainBackoff(_time, TryAgainBudget);
        CsError rc;
        do
        {
            rc = call();
        }
        while (rc == CsError.TryAgain && backoff.Wait());
        return rc;
    }

    private void StartDispatch()
    {
        lock (_stateLock)
        {
            _state = LinkState.Running;
        }

        _dispatchThread = new Thread(DispatchLoop)
        {
            IsBackground = true,
            Name = $"corosync-dispatch {_groupName}",
        };
        _dispatchThread.Start();
    }

    private unsafe void LeaveGroup()
    {
        if (_cpg is null || _cpg.IsInvalid || _cpg.IsClosed)
        {
            return;
        }

        var group = _group;
        var backoff = new TryAgainBackoff(_time, LeaveBudget);
        CsError rc;
        do
        {
            lock (_requestLock)
            {
                rc = CpgNative.Leave(_cpg, &group);
            }
        }
        while (rc == CsError.TryAgain && backoff.Wait());

        if (rc != CsError.Ok)
        {
            Log.LeaveFailed(_logger, _groupName, CsErrorText.Describe(rc));
        }
    }

    private void ReleaseNative()
    {
        _cpg?.Dispose();
        _quorum?.Dispose();
        _votequorum?.Dispose();

        // Only after finalize: no callback can run any more, so the context pointer may dangle safely.
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }
}
