using Palisade.Core.Messages;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>The newest journal entries, read from the end: across block edges, into the rotated file, torn lines skipped.</summary>
public sealed class JournalTailTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-tail-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task The_newest_entries_come_first_across_block_edges_and_the_rotated_file()
    {
        var path = Path.Combine(_dir, "events.journal");
        await using (var journal = new EventJournal(path, TimeProvider.System, maxBytes: 200_000))
        {
            for (var i = 1; i <= 3000; i++)
            {
                Assert.True(await journal.AppendAsync(new ExternalNotice("NIC", $"eth{i % 3}", NoticeSeverity.Error, new string('x', i % 50), "test", i % 2 == 0 ? "n2" : null, $"m{i}"), "n1"));
            }
        }

        Assert.True(File.Exists(EventJournal.RotatedPath(path)));
        await File.AppendAllTextAsync(path, "{\"torn\":");

        var last = JournalTail.Read(path, 5, _ => true);
        Assert.Equal(["m3000", "m2999", "m2998", "m2997", "m2996"], last.Select(e => e.Notice.Id));

        var all = JournalTail.Read(path, 10_000, _ => true);
        var kept = EventJournal.ReadAll(path).Select(e => e.Notice.Id).Reverse().ToList();
        Assert.Equal(kept, all.Select(e => e.Notice.Id));

        var onN2 = JournalTail.Read(path, 3, e => e.Notice.Node == "n2");
        Assert.Equal(["m3000", "m2998", "m2996"], onN2.Select(e => e.Notice.Id));
    }

    [Fact]
    public void A_journal_never_written_has_no_entries() =>
        Assert.Empty(JournalTail.Read(Path.Combine(_dir, "none.journal"), 10, _ => true));
}
