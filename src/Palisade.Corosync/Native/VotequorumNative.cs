using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>libvotequorum.so.8 imports (votequorum.h).</summary>
internal static unsafe partial class VotequorumNative
{
    private const string Library = "libvotequorum.so.8";

    [LibraryImport(Library, EntryPoint = "votequorum_initialize")]
    public static partial CsError Initialize(out VotequorumSafeHandle handle, VotequorumCallbacks* callbacks);

    [LibraryImport(Library, EntryPoint = "votequorum_finalize")]
    public static partial CsError Finalize(ulong handle);

    [LibraryImport(Library, EntryPoint = "votequorum_getinfo")]
    public static partial CsError GetInfo(VotequorumSafeHandle handle, uint nodeId, VotequorumInfoNative* info);
}
