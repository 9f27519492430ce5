namespace Palisade.Daemon.Alerts;

/// <summary>
/// This node's durable queue of alert deliveries (<c>/var/lib/palisade/alerts/queue.jsonl</c>): one JSON line per
/// added or finished delivery, appended and synced to disk before it counts. A sequence at or below the highest one
/// ever queued for a target is never queued again (after a restart or a replay too). When most lines are of finished
/// deliveries the file is rewritten (to a new file, synced, then renamed over it). Not thread-safe: one owner.
/// </summary>
internal sealed class AlertQueue : IDisposable
{
    private const int CompactAfter = 2000;
    private readonly string _path;
    private readonly Dictionary<string, long> _highest = new(StringComparer.Ordinal);
    private readonly SortedDictionary<(string Target, long Sequence), QueuedAlert> _pending = [];
    private FileStream _file;
    private int _finishedLines;

    /// <summary>Opens (or creates) the queue; a torn last line is cut off. <see cref="TornBytes"/> says how much.</summary>
    public AlertQueue(string path)
    {
        _path = path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var content = File.Exists(path) ? File.ReadAllBytes(path) : [];
        var (lines, good) = AlertQueueLine.Parse(content);
        TornBytes = content.Length - good;
        foreach (var line in lines)
        {
            Apply(line);
        }

        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (TornBytes > 0)
        {
            _file.SetLength(good);
            _file.Flush(flushToDisk: true);
        }

        _file.Seek(0, SeekOrigin.End);
    }

    public long TornBytes { get; }

    public string FilePath => _path;

    /// <summary>Deliveries not finished, by target then sequence.</summary>
    public IEnumerable<QueuedAlert> Pending => _pending.Values;

    public int Count => _pending.Count;

    /// <summary>The highest sequence ever queued for any target; -1 when none was.</summary>
    public long HighestSequence => _highest.Values.DefaultIfEmpty(-1).Max();

    public long HighestOf(string target) => _highest.GetValueOrDefault(target, -1);

    /// <summary>
    /// Appends the deliveries not queued before (a sequence above the target's highest) and syncs them; returns those
    /// it added.
    /// </summary>
    public IReadOnlyList<QueuedAlert> Add(IEnumerable<QueuedAlert> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var added = new List<QueuedAlert>();
        var highest = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.Sequence > highest.GetValueOrDefault(item.Target, HighestOf(item.Target)))
            {
                added.Add(item);
                highest[item.Target] = item.Sequence;
            }
        }

        // Written and synced first: a failed write changes nothing here, and the same items can be added again.
        Write(added.Select(a => new AlertQueueLine { Add = a }));
        added.ForEach(a => Apply(new AlertQueueLine { Add = a }));
        return added;
    }

    /// <summary>Records deliveries as finished (synced); ones not pending are skipped. Returns those it finished.</summary>
    public IReadOnlyList<QueuedAlert> Finish(IEnumerable<(string Alert, string Recipient, long Sequence)> done, AlertOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(done);
        var finished = done.Distinct()
            .Select(d => _pending.GetValueOrDefault((QueuedAlert.TargetOf(d.Alert, d.Recipient), d.Sequence)))
            .OfType<QueuedAlert>().ToList();
        var lines = finished.Select(f => new AlertQueueLine { Done = new(f.Alert, f.Recipient, f.Sequence, outcome) }).ToList();
        Write(lines);
        lines.ForEach(Apply);
        if (_finishedLines > CompactAfter && _finishedLines > 2 * _pending.Count)
        {
            Compact();
        }

        return finished;
    }

    /// <summary>
    /// The cluster's state versions started again (every palisaded had stopped): sequences start again too, so the
    /// highest sequences remembered are forgotten.
    /// </summary>
    public void ForgetHighest()
    {
        _highest.Clear();
        Compact();
    }

    private void Apply(AlertQueueLine line)
    {
        if (line.Add is { } add)
        {
            _pending[(add.Target, add.Sequence)] = add;
            _highest[add.Target] = Math.Max(HighestOf(add.Target), add.Sequence);
        }
        else if (line.Done is { } done)
        {
            _pending.Remove((QueuedAlert.TargetOf(done.Alert, done.Recipient), done.Sequence));
            _finishedLines++;
        }
        else if (line.Mark is { } mark)
        {
            var target = QueuedAlert.TargetOf(mark.Alert, mark.Recipient);
            _highest[target] = Math.Max(HighestOf(target), mark.Sequence);
        }
    }

    private void Write(IEnumerable<AlertQueueLine> lines)
    {
        var text = string.Concat(lines.Select(l => l.Encode()));
        if (text.Length == 0)
        {
            return;
        }

        _file.Write(System.Text.Encoding.UTF8.GetBytes(text));
        _file.Flush(flushToDisk: true);
    }

    /// <summary>Rewrites the file with the highest sequences and the pending deliveries only.</summary>
    private void Compact()
    {
        var marks = _highest.Select(h =>
        {
            var sample = _pending.Values.FirstOrDefault(p => p.Target == h.Key);
            var (alert, recipient) = sample is not null ? (sample.Alert, sample.Recipient) : SplitTarget(h.Key);
            return new AlertQueueLine { Mark = new(alert, recipient, h.Value) };
        });
        var text = string.Concat(marks.Concat(_pending.Values.Select(p => new AlertQueueLine { Add = p })).Select(l => l.Encode()));
        var temporary = _path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(text));
            file.Flush(flushToDisk: true);
        }

        _file.Dispose();
        File.Move(temporary, _path, overwrite: true);
        _file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.Read);
        _finishedLines = 0;
    }

    private static (string Alert, string Recipient) SplitTarget(string target)
    {
        var at = target.IndexOf(" -> ", StringComparison.Ordinal);
        return at < 0 ? (target, "") : (target[..at], target[(at + 4)..]);
    }

    public void Dispose() => _file.Dispose();
}
