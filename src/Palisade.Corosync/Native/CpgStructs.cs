using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Palisade.Corosync.Native;

/// <summary>struct cpg_name: uint length + 128 bytes, not NUL-terminated (132 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CpgName
{
    public const int MaxLength = 128;

    public uint Length;
    public CpgNameBuffer Value;

    [InlineArray(MaxLength)]
    internal struct CpgNameBuffer
    {
        private byte _element;
    }
}

/// <summary>struct cpg_address (12 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CpgAddress
{
    public uint NodeId;
    public uint Pid;
    public uint Reason;
}

/// <summary>struct cpg_ring_id: uint32 + uint64, padded to 16 bytes; passed by value to the totem callback.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct CpgRingId
{
    public uint NodeId;
    public ulong Seq;
}

/// <summary>struct iovec: void* + size_t (16 bytes on 64-bit).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct IoVec
{
    public void* Base;
    public nuint Length;
}

/// <summary>cpg_model_v1_data_t (40 bytes: int model, three function pointers at 8/16/24, uint flags).</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct CpgModelV1Data
{
    public const int ModelV1 = 1;
    public const uint DeliverInitialTotemConf = 0x01;

    public int Model;
    public delegate* unmanaged<ulong, CpgName*, uint, uint, void*, nuint, void> Deliver;
    public delegate* unmanaged<ulong, CpgName*, CpgAddress*, nuint, CpgAddress*, nuint, CpgAddress*, nuint, void> ConfChg;
    public delegate* unmanaged<ulong, CpgRingId, uint, uint*, void> TotemConfChg;
    public uint Flags;
}
