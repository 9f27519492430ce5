namespace Palisade.Signals;

/// <summary>The syslog level of a kernel log line (the low three bits of its priority).</summary>
public enum KernelLogLevel
{
    Emergency = 0,
    Alert = 1,
    Critical = 2,
    Error = 3,
    Warning = 4,
    Notice = 5,
    Info = 6,
    Debug = 7,
}
