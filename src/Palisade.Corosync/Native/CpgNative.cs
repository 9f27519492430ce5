using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>libcpg.so.4 imports (cpg.h). Raw ulong overloads exist for use inside callbacks and ReleaseHandle.</summary>
internal static unsafe partial class CpgNative
{
    private const string Library = "libcpg.so.4";

    public const int GuaranteeAgreed = 2;

    [LibraryImport(Library, EntryPoint = "cpg_model_initialize")]
    public static partial CsError ModelInitialize(out CpgSafeHandle handle, int model, CpgModelV1Data* modelData, nint context);

    [LibraryImport(Library, EntryPoint = "cpg_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "cpg_fd_get")]
    public static partial CsError FdGet(CpgSafeHandle handle, out int fd);

    [LibraryImport(Library, EntryPoint = "cpg_context_get")]
    public static partial CsError ContextGet(ulong handle, out nint context);

    [LibraryImport(Library, EntryPoint = "cpg_dispatch")]
    public static partial CsError Dispatch(CpgSafeHandle handle, int dispatchFlags);

    [LibraryImport(Library, EntryPoint = "cpg_join")]
    public static partial CsError Join(CpgSafeHandle handle, CpgName* group);

    [LibraryImport(Library, EntryPoint = "cpg_leave")]
    public static partial CsError Leave(CpgSafeHandle handle, CpgName* group);

    [LibraryImport(Library, EntryPoint = "cpg_mcast_joined")]
    public static partial CsError McastJoined(CpgSafeHandle handle, int guarantee, IoVec* iovec, uint iovLength);

    [LibraryImport(Library, EntryPoint = "cpg_local_get")]
    public static partial CsError LocalGet(CpgSafeHandle handle, out uint localNodeId);
}
