namespace Palisade.Signals;

/// <summary>Which form a kernel log line was read in.</summary>
public enum KernelLogFormat
{
    /// <summary>A <c>/dev/kmsg</c> record: <c>PRIORITY,SEQ,TIMESTAMP_USEC,FLAGS;MESSAGE</c>, then optional <c> KEY=value</c> lines.</summary>
    Kmsg,

    /// <summary>A <c>dmesg</c> line: <c>[12345.678901] MESSAGE</c>, optionally with <c>dmesg -x</c>'s <c>kern  :err   : </c> or a raw <c>&lt;3&gt;</c> prefix.</summary>
    Dmesg,

    /// <summary>A syslog or journald line: <c>Dec  4 10:00:00 host kernel: MESSAGE</c> (also ISO time stamps and other programs).</summary>
    Syslog,

    /// <summary>None of the above: the whole line is the message.</summary>
    Text,
}
