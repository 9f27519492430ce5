using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>libquorum.so.5 imports (quorum.h).</summary>
internal static unsafe partial class QuorumNative
{
    private const string Library = "libquorum.so.5";

    public const uint TrackChanges = 0x02;

    [LibraryImport(Library, EntryPoint = "quorum_initialize")]
    public static partial CsError Initialize(out QuorumSafeHandle handle, QuorumCallbacks* callbacks, out uint quorumType);

    [LibraryImport(Library, EntryPoint = "quorum_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "quorum_fd_get")]
    public static partial CsError FdGet(QuorumSafeHandle handle, out int fd);

    [LibraryImport(Library, EntryPoint = "quorum_dispatch")]
    public static partial CsError Dispatch(QuorumSafeHandle handle, int dispatchFlags);

    [LibraryImport(Library, EntryPoint = "quorum_getquorate")]
    public static partial CsError GetQuorate(QuorumSafeHandle handle, out int quorate);

    [LibraryImport(Library, EntryPoint = "quorum_trackstart")]
    public static partial CsError TrackStart(QuorumSafeHandle handle, uint flags);

    [LibraryImport(Library, EntryPoint = "quorum_context_set")]
    public static partial CsError ContextSet(QuorumSafeHandle handle, nint context);

    [LibraryImport(Library, EntryPoint = "quorum_context_get")]
    public static partial CsError ContextGet(ulong handle, out nint context);
}
