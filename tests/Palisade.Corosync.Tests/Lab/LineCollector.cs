using System.Text;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>Reads a child's output line by line on a background thread and lets tests wait for lines with a deadline.</summary>
internal sealed class LineCollector<T>
{
    private readonly object _gate = new();
    private readonly List<T> _items = [];
    private readonly List<string> _raw = [];
    private readonly Func<string, T> _parse;
    private bool _ended;

    public LineCollector(StreamReader reader, Func<string, T> parse)
    {
        _parse = parse;
        var thread = new Thread(() => Pump(reader)) { IsBackground = true, Name = "line-collector" };
        thread.Start();
    }

    public bool Ended
    {
        get
        {
            lock (_gate)
            {
                return _ended;
            }
        }
    }

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="count"/> items at or after index <paramref name="from"/> match;
    /// null on timeout or when the stream ended first.
    /// </summary>
    public IReadOnlyList<T>? WaitForCount(Func<T, bool> predicate, int count, TimeSpan timeout, int from = 0)
    {
        var deadline = Environment.TickCount64 + (long)timeout.TotalMilliseconds;
        lock (_gate)
        {
            while (true)
            {
                var matches = _items.Skip(from).Where(predicate).Take(count).ToList();
                if (matches.Count == count)
                {
                    return matches;
                }

                var remaining = deadline - Environment.TickCount64;
                if (_ended || remaining <= 0)
                {
                    return null;
                }

                Monitor.Wait(_gate, TimeSpan.FromMilliseconds(remaining));
            }
        }
    }

    public string Tail(int lines)
    {
        lock (_gate)
        {
            var builder = new StringBuilder();
            foreach (var line in _raw.Skip(Math.Max(0, _raw.Count - lines)))
            {
                builder.AppendLine(line);
            }

            return builder.ToString();
        }
    }

    private void Pump(StreamReader reader)
    {
        try
        {
            while (reader.ReadLine() is { } line)
            {
                var item = _parse(line);
                lock (_gate)
                {
                    _raw.Add(line);
                    _items.Add(item);
                    Monitor.PulseAll(_gate);
                }
            }
        }
        catch (IOException)
        {
            // The child went away mid-line; treat it like end of stream.
        }
        finally
        {
            lock (_gate)
            {
                _ended = true;
                Monitor.PulseAll(_gate);
            }
        }
    }
}
