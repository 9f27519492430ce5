using System.Text;
using Palisade.Daemon.Alerts;
using Xunit;
using static Palisade.Daemon.Tests.Alerts.AlertTestCluster;

namespace Palisade.Daemon.Tests.Alerts;

/// <summary>The queue file: what survives a restart, a torn tail after a crash, and no sequence queued twice.</summary>
public sealed class AlertQueueTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"palisade-alert-queue-{Guid.NewGuid():N}");

    private string File_ => Path.Combine(_dir, "queue.jsonl");

    private static QueuedAlert Item(long sequence, string recipient = "/tmp/a.log") => new("file", recipient, T0, Event(sequence));

    [Fact]
    public void Pending_deliveries_survive_a_restart_and_a_sequence_is_never_queued_twice()
    {
        using (var queue = new AlertQueue(File_))
        {
            Assert.Equal(3, queue.Add([Item(1000), Item(1001), Item(1000, "/tmp/b.log")]).Count);
            Assert.Empty(queue.Add([Item(1001)]));
            Assert.Single(queue.Finish([("file", "/tmp/a.log", 1000)], AlertOutcome.Delivered));
        }

        using var again = new AlertQueue(File_);
        Assert.Equal([(1000L, "/tmp/b.log"), (1001, "/tmp/a.log")], again.Pending.Select(p => (p.Sequence, p.Recipient)).OrderBy(p => p.Item1).ToArray());
        Assert.Empty(again.Add([Item(1000), Item(1001), Item(999)])); // delivered, pending, older: none again
        Assert.Single(again.Add([Item(2000)]));
        Assert.Equal(0, again.TornBytes);
    }

    [Fact]
    public void A_line_torn_by_a_crash_is_cut_off_and_the_whole_lines_before_it_are_kept()
    {
        using (var queue = new AlertQueue(File_))
        {
            queue.Add([Item(1000), Item(1001)]);
        }

        var whole = File.ReadAllBytes(File_);
        var torn = new AlertQueueLine { Add = Item(1002) }.Encode();
        File.AppendAllText(File_, torn[..(torn.Length / 2)]);

        using var again = new AlertQueue(File_);
        Assert.Equal(torn.Length / 2, again.TornBytes);
        Assert.Equal([1000L, 1001], again.Pending.Select(p => p.Sequence).ToArray());
        Assert.Equal(whole, File.ReadAllBytes(File_));
        Assert.Single(again.Add([Item(1002)]));
        again.Dispose();
        using var third = new AlertQueue(File_);
        Assert.Equal([1000L, 1001, 1002], third.Pending.Select(p => p.Sequence).ToArray());
    }

    [Fact]
    public void A_line_that_is_not_json_ends_the_file_there()
    {
        Directory.CreateDirectory(_dir);
        var good = new AlertQueueLine { Add = Item(1000) }.Encode();
        File.WriteAllText(File_, good + "{\"add\":\n" + new AlertQueueLine { Add = Item(1001) }.Encode());

        var (lines, length) = AlertQueueLine.Parse(File.ReadAllBytes(File_));

        Assert.Single(lines);
        Assert.Equal(Encoding.UTF8.GetByteCount(good), length);
    }

    [Fact]
    public void A_compacted_file_keeps_the_highest_sequence_of_every_target()
    {
        using (var queue = new AlertQueue(File_))
        {
            var items = Enumerable.Range(0, 2100).Select(i => Item(1000 + i)).ToList();
            queue.Add(items);
            queue.Finish(items.Select(i => (i.Alert, i.Recipient, i.Sequence)), AlertOutcome.Delivered);
        }

        Assert.True(new FileInfo(File_).Length < 1000, "the file was rewritten without the finished deliveries");
        using var again = new AlertQueue(File_);
        Assert.Equal(0, again.Count);
        Assert.Equal(3099, again.HighestOf("file -> /tmp/a.log"));
        Assert.Empty(again.Add([Item(3099)]));
    }

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }
}
