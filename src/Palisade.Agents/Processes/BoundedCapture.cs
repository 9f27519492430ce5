using System.Text;
using System.Text.RegularExpressions;

namespace Palisade.Agents;

/// <summary>
/// Collects a byte stream keeping only its first and last bytes, so a chatty child cannot grow our memory while
/// both the opening lines (what was attempted) and the closing ones (why it ended) survive.
/// </summary>
internal sealed partial class BoundedCapture
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private int _headLength;
    private long _tailWritten;
    private bool _sealed;
    private readonly object _gate = new();

    public BoundedCapture(int limitBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limitBytes, 2);
        _head = new byte[limitBytes / 2];
        _tail = new byte[limitBytes - _head.Length];
    }

    public long TotalBytes { get; private set; }

    public void Append(ReadOnlySpan<byte> data)
    {
        lock (_gate)
        {
            if (_sealed)
            {
                return;
            }

            TotalBytes += data.Length;
            int toHead = Math.Min(_head.Length - _headLength, data.Length);
            data[..toHead].CopyTo(_head.AsSpan(_headLength));
            _headLength += toHead;
            var rest = data[toHead..];
            if (rest.Length > _tail.Length)
            {
                // Bytes that would be overwritten within this same call are only counted.
                _tailWritten += rest.Length - _tail.Length;
                rest = rest[^_tail.Length..];
            }

            foreach (byte b in rest)
            {
                _tail[(int)(_tailWritten % _tail.Length)] = b;
                _tailWritten++;
            }
        }
    }

    /// <summary>Returns the text and ignores everything appended afterwards.</summary>
    public string Seal()
    {
        lock (_gate)
        {
            _sealed = true;
            return GetText();
        }
    }

    public string GetText()
    {
        lock (_gate)
        {
            var text = new StringBuilder(Encoding.UTF8.GetString(_head, 0, _headLength));
            long omitted = _tailWritten - _tail.Length;
            if (omitted > 0)
            {
                text.Append("\n[... ").Append(omitted).Append(" bytes omitted ...]\n");
            }

            text.Append(Encoding.UTF8.GetString(TailBytes()));
            return text.ToString();
        }
    }

    /// <summary>Whether <paramref name="text"/> came from a capture that had to leave out its middle.</summary>
    public static bool WasCut(string text) => OmittedMarker().IsMatch(text);

    [GeneratedRegex(@"\n\[\.\.\. \d+ bytes omitted \.\.\.\]\n")]
    private static partial Regex OmittedMarker();

    private byte[] TailBytes()
    {
        int count = (int)Math.Min(_tailWritten, _tail.Length);
        var bytes = new byte[count];
        long first = _tailWritten - count;
        for (int i = 0; i < count; i++)
        {
            bytes[i] = _tail[(int)((first + i) % _tail.Length)];
        }

        return bytes;
    }
}
