using Palisade.Corosync.Native;
using Xunit;

namespace Palisade.Corosync.Tests;

/// <summary>CS_ERR_TRY_AGAIN from quorum_getquorate says nothing about quorum: it must never read as quorum lost.</summary>
public sealed class QuorumReadingTests
{
    [Theory]
    [InlineData(CsError.Ok, 1, QuorumReading.Quorate)]
    [InlineData(CsError.Ok, 0, QuorumReading.NotQuorate)]
    [InlineData(CsError.TryAgain, 0, QuorumReading.Unknown)]
    [InlineData(CsError.TryAgain, 1, QuorumReading.Unknown)]
    internal void Answers_are_read_as_corosync_meant_them(CsError rc, int quorate, QuorumReading expected) =>
        Assert.Equal(expected, QuorumReadings.From(rc, quorate));

    [Theory]
    [InlineData(CsError.ErrLibrary)]
    [InlineData(CsError.BadHandle)]
    internal void Other_errors_are_not_readings(CsError rc) => Assert.Null(QuorumReadings.From(rc, 0));
}
