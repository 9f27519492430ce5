using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Palisade.Corosync.Tests;

/// <summary>Argument checks that happen before any corosync call, so they need no cluster.</summary>
public sealed class CorosyncLinkArgumentTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(129)]
    public void Open_rejects_group_names_outside_1_to_128_bytes(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => CorosyncLink.Open(new string('g', length), NullLogger.Instance));

        Assert.Equal("groupName", ex.ParamName);
        Assert.StartsWith($"CPG group name must be 1..128 UTF-8 bytes, got {length}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_counts_the_group_name_limit_in_utf8_bytes_not_characters()
    {
        var sixtyFiveTwoByteChars = new string('é', 65);

        var ex = Assert.Throws<ArgumentException>(() => CorosyncLink.Open(sixtyFiveTwoByteChars, NullLogger.Instance));

        Assert.StartsWith("CPG group name must be 1..128 UTF-8 bytes, got 130", ex.Message, StringComparison.Ordinal);
    }
}
