using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Palisade.Corosync.Native;

namespace Palisade.Corosync;

/// <summary>
/// One connection to the local corosync: a CPG group member plus quorum tracking and votequorum queries.
/// All callbacks are dispatched on one background thread and surface, in delivery order, on <see cref="Events"/>.
/// </summary>
public sealed partial class CorosyncLink : ICorosyncLink, IDisposable
{
    private const int DispatchAll = 2;
    private static readonly TimeSpan TryAgainBudget = TimeSpan.FromSeconds(10);

    private readonly string _groupName;
    private readonly CpgName _group;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Channel<CorosyncEvent> _events =
        Channel.CreateUnbounded<CorosyncEvent>(new UnboundedChannelOptions { SingleWriter = true });

    // Request-side calls (send, leave, queries) are serialized; dispatch runs on its own thread without this lock.
    private readonly Lock _requestLock = new();
    private readonly Lock _stateLock = new();
    private LinkState _state = LinkState.Opening;
    private GCHandle _self;
    private CpgSafeHandle? _cpg;
    private QuorumSafeHandle? _quorum;
    private VotequorumSafeHandle? _votequorum;
    private Thread? _dispatchThread;
    private volatile bool _stopRequested;

    private CorosyncLink(string groupName, CpgName group, ILogger logger, TimeProvider time)
    {
        _groupName = groupName;
        _group = group;
        _logger = logger;
        _time = time;
    }

    private enum LinkState
    {
        Opening,
        Running,
        Lost,
        Disposed,
    }

    /// <summary>This node's corosync node id (cpg_local_get).</summary>
    public uint LocalNodeId { get; private set; }

    /// <summary>Every callback in delivery order. Completes after <see cref="CorosyncLost"/> or on <see cref="Dispose"/>.</summary>
    public ChannelReader<CorosyncEvent> Events => _events.Reader;

    /// <summary>Connects to the local corosync and joins <paramref name="groupName"/> (at most 128 UTF-8 bytes).</summary>
    /// <exception cref="CorosyncException">corosync is unreachable or refused a call.</exception>
    public static CorosyncLink Open(string groupName, ILogger logger) => Open(groupName, logger, TimeProvider.System);

    internal static CorosyncLink Open(string groupName, ILogger logger, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(groupName);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(time);
        if (!Environment.Is64BitProcess)
        {
            throw new PlatformNotSupportedException("corosync handles are 64-bit values; run in a 64-bit process");
        }

        var link = new CorosyncLink(groupName, EncodeGroupName(groupName), logger, time);
        try
        {
            link.Connect();
        }
        catch
        {
            link.ReleaseNative();
            throw;
        }

        Log.Opened(logger, link.LocalNodeId, groupName);
        link.StartDispatch();
        return link;
    }

    /// <summary>Multicasts to the group in agreed order, retrying while corosync applies flow control (up to ~10 s).</summary>
    /// <exception cref="CorosyncException">corosync refused the message, or stayed busy for the whole retry budget.</exception>
    public unsafe void Send(ReadOnlySpan<byte> payload)
    {
        var cpg = Cpg;
        CsError rc;
        fixed (byte* data = payload)
        {
            var iov = new IoVec { Base = data, Length = (nuint)payload.Length };
            var backoff = new TryAgainBackoff(_time, TryAgainBudget);
            do
            {
                lock (_requestLock)
                {
                    rc = CpgNative.McastJoined(cpg, CpgNative.GuaranteeAgreed, &iov, 1);
                }
            }
            while (rc == CsError.TryAgain && backoff.Wait());

            if (rc == CsError.Ok && backoff.Retries > 0)
            {
                Log.SendThrottled(_logger, backoff.Retries, backoff.Elapsed.TotalMilliseconds);
            }
        }

        if (rc != CsError.Ok)
        {
            var error = CsErrorText.Describe(rc);
            Log.SendFailed(_logger, payload.Length, _groupName, error);
            var detail = rc == CsError.TryAgain ? $" (still busy after {TryAgainBudget.TotalSeconds:0} s)" : string.Empty;
            throw new CorosyncException($"cpg_mcast_joined failed: {error}{detail}", (int)rc);
        }
    }

    /// <summary>Whether this node's partition is quorate (quorum_getquorate); throws when corosync is busy too.</summary>
    public bool IsQuorate() => ReadQuorum() switch
    {
        QuorumReading.Quorate => true,
        QuorumReading.NotQuorate => false,
        _ => throw new CorosyncException($"quorum_getquorate failed: {CsErrorText.Describe(CsError.TryAgain)}", (int)CsError.TryAgain),
    };

    /// <summary>
    /// quorum_getquorate, with CS_ERR_TRY_AGAIN read as <see cref="QuorumReading.Unknown"/> (never as quorum lost);
    /// any other error throws.
    /// </summary>
    public QuorumReading ReadQuorum()
    {
        var quorum = Quorum;
        CsError rc;
        int quorate;
        lock (_requestLock)
        {
            rc = QuorumNative.GetQuorate(quorum, out quorate);
        }

        if (QuorumReadings.From(rc, quorate) is { } reading)
        {
            return reading;
        }

        ThrowIfFailed(rc, "quorum_getquorate");
        throw new InvalidOperationException("unreachable: ThrowIfFailed throws for every error");
    }

    /// <summary>votequorum's view of the local node (votequorum_getinfo).</summary>
    public unsafe VotequorumInfo GetVotequorumInfo()
    {
        var votequorum = Votequorum;
        VotequorumInfoNative info;
        CsError rc;
        lock (_requestLock)
        {
            rc = VotequorumNative.GetInfo(votequorum, LocalNodeId, &info);
        }

        ThrowIfFailed(rc, "votequorum_getinfo");
        var flags = (VotequorumInfoFlags)info.Flags;
        return new VotequorumInfo(
            info.NodeId,
            info.NodeExpectedVotes,
            info.TotalVotes,
            info.Quorum,
            flags.HasFlag(VotequorumInfoFlags.Quorate),
            flags.HasFlag(VotequorumInfoFlags.TwoNode),
            flags.HasFlag(VotequorumInfoFlags.WaitForAll),
            info.Flags);
    }

    /// <summary>Stops dispatching, leaves the group (so peers see Leave, not ProcDown) and releases all handles.</summary>
    public void Dispose()
    {
        bool wasLost;
        lock (_stateLock)
        {
            if (_state == LinkState.Disposed)
            {
                return;
            }

            wasLost = _state == LinkState.Lost;
            _state = LinkState.Disposed;
        }

        _stopRequested = true;
        if (_dispatchThread is { } thread && thread != Thread.CurrentThread)
        {
            thread.Join();
        }

        if (!wasLost)
        {
            LeaveGroup();
        }

        ReleaseNative();
        _events.Writer.TryComplete();
        Log.Closed(_logger, _groupName);
    }

    private CpgSafeHandle Cpg => Usable(_cpg);

    private QuorumSafeHandle Quorum => Usable(_quorum);

    private VotequorumSafeHandle Votequorum => Usable(_votequorum);

    private T Usable<T>(T? handle)
        where T : CorosyncSafeHandle
    {
        ObjectDisposedException.ThrowIf(handle is null || handle.IsClosed, this);
        return handle;
    }

    private static CpgName EncodeGroupName(string groupName)
    {
        var byteCount = Encoding.UTF8.GetByteCount(groupName);
        if (byteCount is 0 or > CpgName.MaxLength)
        {
            throw new ArgumentException(
                $"CPG group name must be 1..{CpgName.MaxLength} UTF-8 bytes, got {byteCount}", nameof(groupName));
        }

        var name = new CpgName { Length = (uint)byteCount };
        Encoding.UTF8.GetBytes(groupName, name.Value);
        return name;
    }

    private static void ThrowIfFailed(CsError rc, string call)
    {
        if (rc != CsError.Ok)
        {
            throw new CorosyncException($"{call} failed: {CsErrorText.Describe(rc)}", (int)rc);
        }
    }
}
