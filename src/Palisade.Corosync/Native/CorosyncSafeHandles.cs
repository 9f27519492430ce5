using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>
/// Owns one corosync library handle (a uint64 hdb handle, stored in the pointer-sized field: 64-bit processes only).
/// SafeHandle reference counting keeps a handle alive while a call on another thread is still using it.
/// </summary>
internal abstract class CorosyncSafeHandle : SafeHandle
{
    protected CorosyncSafeHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    // The libraries never touch *handle on failure, so the marshaller's zero means "not initialized".
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The raw value, for comparing with the handle a callback receives.</summary>
    public ulong RawValue => (ulong)handle;
}

internal sealed class CpgSafeHandle : CorosyncSafeHandle
{
    protected override bool ReleaseHandle() => CpgNative.Finalize((ulong)handle) == CsError.Ok;
}

internal sealed class QuorumSafeHandle : CorosyncSafeHandle
{
    protected override bool ReleaseHandle() => QuorumNative.Finalize((ulong)handle) == CsError.Ok;
}

internal sealed class VotequorumSafeHandle : CorosyncSafeHandle
{
    protected override bool ReleaseHandle() => VotequorumNative.Finalize((ulong)handle) == CsError.Ok;
}
