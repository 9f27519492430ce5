using System.Text;

namespace Palisade.Simulation.Runtime;

/// <summary>
/// What happened in a run: a running hash of every event (two runs of one seed must give the same hash) and, when
/// switched on, the last lines of text for a replay.
/// </summary>
internal sealed class Trace(bool keepText, int keep = 4000)
{
    private const ulong FnvPrime = 1099511628211;
    private readonly Queue<string> _lines = new();
    private ulong _hash = 14695981039346656037;

    public bool KeepText { get; } = keepText;

    public ulong Hash => _hash;

    public long Events { get; private set; }

    public void Add(DateTimeOffset at, string who, string text)
    {
        Events++;
        Mix(at.UtcTicks);
        Mix(who);
        Mix(text);
        if (KeepText)
        {
            _lines.Enqueue($"{at:HH:mm:ss.fff} {who}: {text}");
            if (_lines.Count > keep)
            {
                _lines.Dequeue();
            }
        }
    }

    /// <summary>Mixes in an event without text (cheap: the hot path of message delivery).</summary>
    public void Add(DateTimeOffset at, long a, ReadOnlySpan<byte> payload)
    {
        Events++;
        Mix(at.UtcTicks);
        Mix(a);
        foreach (var b in payload)
        {
            _hash = (_hash ^ b) * FnvPrime;
        }
    }

    public string Text => string.Join("\n", _lines);

    private void Mix(long value)
    {
        for (var i = 0; i < 8; i++)
        {
            _hash = (_hash ^ (byte)(value >> (8 * i))) * FnvPrime;
        }
    }

    private void Mix(string text)
    {
        foreach (var c in text)
        {
            _hash = (_hash ^ c) * FnvPrime;
        }
    }

    public override string ToString()
    {
        var b = new StringBuilder();
        b.Append(Hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture));
        return b.ToString();
    }
}
