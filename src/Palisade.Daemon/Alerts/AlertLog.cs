using Microsoft.Extensions.Logging;

namespace Palisade.Daemon.Alerts;

/// <summary>The alert service's log lines (event ids 900-919); never a token.</summary>
internal static partial class AlertLog
{
    public const string Category = "palisade.alerts";

    [LoggerMessage(900, LogLevel.Information, "alerts: queue {Path} holds {Count} deliveries")]
    public static partial void Opened(ILogger logger, string path, int count);

    [LoggerMessage(901, LogLevel.Warning, "alerts: queue {Path} ended in a torn line ({Bytes} bytes, written during a crash); cut off")]
    public static partial void Torn(ILogger logger, string path, long bytes);

    [LoggerMessage(902, LogLevel.Warning, "alert {Target}: delivery of event {Sequence} ({Kind} {Node}) failed (attempt {Attempt}, next in {Wait}): {Detail}")]
    public static partial void Failed(ILogger logger, string target, long sequence, string kind, string node, int attempt, string wait, string detail);

    [LoggerMessage(903, LogLevel.Error, "alert {Target}: event {Sequence} ({Kind} {Node}) dropped: still failing {Age} after it was queued: {Detail}")]
    public static partial void Dropped(ILogger logger, string target, long sequence, string kind, string node, string age, string detail);

    [LoggerMessage(904, LogLevel.Information, "alert {Target}: event {Sequence} ({Kind} {Node}: {Description}) delivered: {Detail}")]
    public static partial void Delivered(ILogger logger, string target, long sequence, string kind, string node, string description, string detail);

    [LoggerMessage(905, LogLevel.Error, "alerts: cannot write the queue {Path}: {Reason}; trying again")]
    public static partial void WriteFailed(ILogger logger, string path, string reason);

    [LoggerMessage(906, LogLevel.Warning, "alerts: the state's version went back to {Version} (the whole cluster started anew): sequences start again")]
    public static partial void SeriesRestarted(ILogger logger, long version);

    [LoggerMessage(907, LogLevel.Information, "alerts: {Owner} is no longer a healthy member: {Node} delivers the {Count} events it held for it")]
    public static partial void TakingOver(ILogger logger, string owner, string node, int count);
}
