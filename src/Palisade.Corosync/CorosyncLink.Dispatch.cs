using System.Runtime.InteropServices;
using Palisade.Corosync.Native;

namespace Palisade.Corosync;

/// <summary>The dispatch thread: poll both fds, dispatch what is ready, notice death of the local corosync.</summary>
public sealed partial class CorosyncLink
{
    // Bounds how long Dispose waits for the thread to notice the stop request.
    private const int PollTimeoutMs = 200;

    private Exception? _callbackFailure;

    private void DispatchLoop()
    {
        string? lostReason;
        try
        {
            lostReason = RunDispatch();
        }
        catch (Exception ex)
        {
            lostReason = $"dispatch failed: {ex.Message}";
        }

        if (lostReason is not null)
        {
            ReportLost(lostReason);
        }
    }

    private unsafe string? RunDispatch()
    {
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _cpgFd, Events = Libc.PollIn };
        fds[1] = new PollFd { Fd = _quorumFd, Events = Libc.PollIn };
        while (!_stopRequested)
        {
            fds[0].REvents = 0;
            fds[1].REvents = 0;
            var ready = Libc.Poll(fds, 2, PollTimeoutMs);
            if (ready < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Libc.EIntr)
                {
                    continue;
                }

                return $"poll failed with errno {errno}";
            }

            var lost = Service("cpg", fds[0].REvents, () => CpgNative.Dispatch(Cpg, DispatchAll))
                ?? Service("quorum", fds[1].REvents, () => QuorumNative.Dispatch(Quorum, DispatchAll));
            if (lost is not null)
            {
                return lost;
            }
        }

        return null;
    }

    private string? Service(string service, short revents, Func<CsError> dispatch)
    {
        // Dispatch pending data before honouring a hang-up, so events queued before the death are not dropped.
        if ((revents & Libc.PollIn) != 0)
        {
            var rc = dispatch();
            if (_callbackFailure is { } failure)
            {
                return $"{service} callback failed: {failure.Message}";
            }

            if (rc != CsError.Ok && rc != CsError.TryAgain)
            {
                return $"{service}_dispatch returned {CsErrorText.Describe(rc)}; the connection to the local corosync is unusable";
            }
        }

        if ((revents & (Libc.PollErr | Libc.PollHup | Libc.PollNval)) != 0)
        {
            return $"{service} connection closed by corosync (poll revents 0x{revents:x})";
        }

        return null;
    }

    private void ReportLost(string reason)
    {
        lock (_stateLock)
        {
            if (_state != LinkState.Running)
            {
                return;
            }

            _state = LinkState.Lost;
        }

        Log.CorosyncLost(_logger, reason);
        _events.Writer.TryWrite(new CorosyncLost(reason));
        _events.Writer.TryComplete();
    }
}
