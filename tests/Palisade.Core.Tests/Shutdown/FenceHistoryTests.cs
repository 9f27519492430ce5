using Palisade.Core.Shutdown;
using Xunit;

namespace Palisade.Core.Tests.Shutdown;

public sealed class FenceHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static FenceRecord Record(int second, string by = "n1", string target = "n2") =>
        new(by, target, "1:ipmi", "off", T0.AddSeconds(second), 150, FenceResult.Worked, "confirmed off");

    [Fact]
    public void Entries_are_kept_once_in_start_order_and_bounded_to_the_newest()
    {
        var history = FenceHistory.Add([], Record(5), limit: 3);
        history = FenceHistory.Merge(history, [Record(1), Record(5), Record(3), Record(9), Record(7)], limit: 3);

        Assert.Equal([5, 7, 9], history.Select(r => (int)(r.Started - T0).TotalSeconds));
    }

    [Fact]
    public void Merging_is_the_same_whatever_the_order_of_the_inputs()
    {
        FenceRecord[] a = [Record(1, "n1"), Record(1, "n3"), Record(2)];
        FenceRecord[] b = [Record(2), Record(1, "n3"), Record(4, "n3", "n1")];

        var ab = FenceHistory.Merge(FenceHistory.Merge([], a, 10), b, 10);
        var ba = FenceHistory.Merge(FenceHistory.Merge([], b, 10), a, 10);

        Assert.Equal(ab, ba);
        Assert.Equal(4, ab.Count);
    }
}
