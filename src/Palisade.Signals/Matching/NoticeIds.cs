using System.Security.Cryptography;
using System.Text;

namespace Palisade.Signals;

/// <summary>
/// The id of a message a rule makes from a line: the same node, line and rule give the same id, so a line read
/// twice is one message to the receiver.
/// </summary>
internal static class NoticeIds
{
    public const string Prefix = "klog-";

    /// <summary>
    /// A kmsg record is named by its sequence number and time stamp (the number alone restarts at boot); any other
    /// line by its whole text, time stamp included.
    /// </summary>
    public static string For(string node, KernelLogLine line, string rule)
    {
        var anchor = line.Sequence is { } sequence
            ? $"kmsg {sequence} {line.SinceBoot?.Ticks}"
            : $"line {line.Raw}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{node}\n{anchor}\n{rule}"));
        return Prefix + Convert.ToHexStringLower(hash, 0, 16);
    }
}
