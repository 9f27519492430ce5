using System.Runtime.InteropServices;
using Palisade.Agents.Monitors;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

public sealed class NicCheckTests
{
    private static Task<CheckResult> Check(string name) =>
        new NicCheck(name, TimeProvider.System).CheckAsync(TimeSpan.FromSeconds(2), CancellationToken.None);

    [Fact]
    public async Task Loopback_is_up_though_its_operstate_is_unknown()
    {
        CheckResult result = await Check("lo");

        Assert.Equal(CheckOutcome.Normal, result.Outcome);
        Assert.Equal("lo: link up (operstate unknown, carrier)", result.Reason);
        Assert.True(result.Duration < TimeSpan.FromSeconds(1), $"took {result.Duration}");
    }

    [Fact]
    public async Task An_interface_that_does_not_exist_is_an_error()
    {
        CheckResult missing = await Check("palnope0");
        CheckResult tooLong = await Check("a-name-far-too-long");

        Assert.Equal(CheckOutcome.Error, missing.Outcome);
        Assert.Equal("palnope0: no such interface", missing.Reason);
        Assert.Equal(CheckOutcome.Error, tooLong.Outcome);
        Assert.Equal("a-name-far-too-long: 'a-name-far-too-long' is not an interface name (1 to 15 bytes)", tooLong.Reason);
    }

    [Theory]
    [InlineData(6, 1, true, true, "eth1: link up (operstate up, carrier)")]
    [InlineData(0, 1, true, true, "eth1: link up (operstate unknown, carrier)")]
    [InlineData(2, 0, true, false, "eth1: link down (operstate down, no carrier)")]
    [InlineData(6, 0, true, false, "eth1: link down (operstate up, no carrier)")]
    [InlineData(5, 1, true, false, "eth1: link down (operstate dormant, carrier)")]
    [InlineData(3, 0, true, false, "eth1: link down (operstate lowerlayerdown, no carrier)")]
    [InlineData(2, 1, false, false, "eth1: link down (administratively down)")]
    public void A_link_is_up_with_carrier_and_operstate_up_or_unknown(byte operState, byte carrier, bool adminUp, bool up, string reason)
    {
        byte[] reply = NewLink(sequence: 7, operState, carrier, adminUp);

        LinkState? state = LinkQuery.Parse(reply, "eth1", 7);

        Assert.NotNull(state);
        Assert.Equal(up, state.IsUp);
        Assert.Equal(reason, state.Describe());
    }

    [Fact]
    public void An_answer_to_another_request_is_skipped_and_a_kernel_refusal_is_named()
    {
        byte[] other = NewLink(sequence: 6, 6, 1, adminUp: true);
        byte[] refusal = Error(sequence: 7, errno: 19);

        Assert.Null(LinkQuery.Parse(other, "eth1", 7));
        LinkQueryException noDevice = Assert.Throws<LinkQueryException>(() => LinkQuery.Parse(refusal, "eth1", 7));
        Assert.Equal(19, noDevice.Errno);
        Assert.Equal("no such interface", noDevice.Message);
    }

    [Fact]
    public void The_request_names_the_interface_in_an_rtm_getlink()
    {
        byte[] request = LinkQuery.Request("eth1", 9);

        // 16 header + 16 ifinfomsg + IFLA_IFNAME of 9 bytes padded to 12.
        Assert.Equal(44, request.Length);
        Assert.Equal(44u, MemoryMarshal.Read<uint>(request));
        Assert.Equal((ushort)18, MemoryMarshal.Read<ushort>(request.AsSpan(4)));
        Assert.Equal((ushort)1, MemoryMarshal.Read<ushort>(request.AsSpan(6)));
        Assert.Equal(9u, MemoryMarshal.Read<uint>(request.AsSpan(8)));
        Assert.Equal((ushort)9, MemoryMarshal.Read<ushort>(request.AsSpan(32)));
        Assert.Equal((ushort)3, MemoryMarshal.Read<ushort>(request.AsSpan(34)));
        Assert.Equal("eth1\0\0\0\0"u8.ToArray(), request[36..]);
    }

    /// <summary>An RTM_NEWLINK as the kernel sends it: header, ifinfomsg, IFLA_IFNAME, IFLA_OPERSTATE, IFLA_CARRIER.</summary>
    private static byte[] NewLink(uint sequence, byte operState, byte carrier, bool adminUp)
    {
        byte[] message = new byte[16 + 16 + 12 + 8 + 8];
        Span<byte> m = message;
        MemoryMarshal.Write(m, (uint)message.Length);
        MemoryMarshal.Write(m[4..], (ushort)16);
        MemoryMarshal.Write(m[8..], sequence);
        MemoryMarshal.Write(m[24..], adminUp ? 0x1u : 0u);
        Attribute(m[32..], 3, "eth1\0"u8);
        Attribute(m[44..], 16, [operState]);
        Attribute(m[52..], 33, [carrier]);
        return message;
    }

    private static byte[] Error(uint sequence, int errno)
    {
        byte[] message = new byte[16 + 4 + 16];
        Span<byte> m = message;
        MemoryMarshal.Write(m, (uint)message.Length);
        MemoryMarshal.Write(m[4..], (ushort)2);
        MemoryMarshal.Write(m[8..], sequence);
        MemoryMarshal.Write(m[16..], -errno);
        return message;
    }

    private static void Attribute(Span<byte> at, ushort type, ReadOnlySpan<byte> payload)
    {
        MemoryMarshal.Write(at, (ushort)(4 + payload.Length));
        MemoryMarshal.Write(at[2..], type);
        payload.CopyTo(at[4..]);
    }
}
