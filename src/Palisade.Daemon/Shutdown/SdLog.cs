using Microsoft.Extensions.Logging;

namespace Palisade.Daemon;

/// <summary>The shutdown daemon's log lines (category palisade.sd), with stable event ids.</summary>
internal static partial class SdLog
{
    public const string Category = "palisade.sd";

    [LoggerMessage(40, LogLevel.Information, "shutdown daemon {State}: {Reason}")]
    public static partial void DaemonState(ILogger logger, string state, string reason);

    [LoggerMessage(41, LogLevel.Debug, "{Target} agent {Index} ({Type}): {Activity} -> {Outcome} in {Millis} ms - {Reason}")]
    public static partial void Activity(ILogger logger, string target, int index, string type, string activity, string outcome, long millis, string reason);

    [LoggerMessage(42, LogLevel.Warning, "{Target} agent {Index} ({Type}): {Activity} failed - {Reason}")]
    public static partial void ActivityFailed(ILogger logger, string target, int index, string type, string activity, string reason);

    [LoggerMessage(43, LogLevel.Information, "test cycle: {Worked} of {Total} fencing paths work ({Millis} ms)")]
    public static partial void TestCycle(ILogger logger, int worked, int total, long millis);

    [LoggerMessage(44, LogLevel.Critical, "ALERT: cannot fence {Target}: every shutdown agent failed ({Reasons}); its groups stay blocked until an agent works or an operator runs 'palisade sd --confirm-down {Target}'")]
    public static partial void AllAgentsFailed(ILogger logger, string target, string reasons);

    [LoggerMessage(45, LogLevel.Warning, "not fencing {Target}: the shutdown daemon on this node is stopped")]
    public static partial void StoppedCannotFence(ILogger logger, string target);

    [LoggerMessage(46, LogLevel.Information, "shutdown daemon reconfigured from {Path}: {Summary}")]
    public static partial void Reconfigured(ILogger logger, string path, string summary);

    [LoggerMessage(47, LogLevel.Information, "debug output {State}")]
    public static partial void Debug(ILogger logger, string state);

    [LoggerMessage(48, LogLevel.Warning, "fence history could not be {Action} {Path}: {Reason}")]
    public static partial void HistoryStoreFailed(ILogger logger, string action, string path, string reason);

    [LoggerMessage(49, LogLevel.Critical, "OPERATOR CONFIRMED {Target} DOWN ({By}): its groups may start elsewhere without it having been fenced")]
    public static partial void ConfirmedDown(ILogger logger, string target, string by);

    [LoggerMessage(50, LogLevel.Warning, "partition adverts off: {Reason}")]
    public static partial void AdvertsOff(ILogger logger, string reason);

    [LoggerMessage(51, LogLevel.Information, "partition adverts on {Address}:{Port}, {Signing}")]
    public static partial void AdvertsOn(ILogger logger, string address, int port, string signing);

    [LoggerMessage(52, LogLevel.Debug, "advert to {Node} not sent: {Reason}")]
    public static partial void AdvertSendFailed(ILogger logger, string node, string reason);

    [LoggerMessage(53, LogLevel.Warning, "advert from {Address} rejected: {Reason}")]
    public static partial void AdvertRejected(ILogger logger, string address, string reason);

    [LoggerMessage(54, LogLevel.Debug, "advert from {Address} dropped: {Reason}")]
    public static partial void AdvertReplayDropped(ILogger logger, string address, string reason);

    [LoggerMessage(55, LogLevel.Warning, "partition resolution: {Summary}")]
    public static partial void PartitionVerdict(ILogger logger, string summary);

    [LoggerMessage(56, LogLevel.Warning, "not fencing {Target} now: {Reason}")]
    public static partial void LateFenceDeclined(ILogger logger, string target, string reason);

    [LoggerMessage(57, LogLevel.Warning, "powering {Target} on again with agent {Index} ({Type}): {Outcome} in {Ms} ms: {Reason}")]
    public static partial void PoweredOnAgain(ILogger logger, string target, int index, string type, string outcome, long ms, string reason);

    [LoggerMessage(58, LogLevel.Error, "{Target} is confirmed off but none of its shutdown agents could power it on again: it stays off")]
    public static partial void CannotPowerOnAgain(ILogger logger, string target);

    [LoggerMessage(59, LogLevel.Warning, "diagnostic interrupt (NMI) to {Target} with agent {Index} ({Type}): {Outcome} in {Ms} ms: {Reason}")]
    public static partial void NmiSent(ILogger logger, string target, int index, string type, string outcome, long ms, string reason);

    [LoggerMessage(60, LogLevel.Error, "no shutdown agent of {Target} could send it a diagnostic interrupt: it is fenced without a dump")]
    public static partial void NoNmi(ILogger logger, string target);

    [LoggerMessage(61, LogLevel.Warning, "down check of {Target}: {Outcome} by {Agent} in {Ms} ms: {Reason} (report: {Report})")]
    public static partial void DownChecked(ILogger logger, string target, string outcome, string agent, long ms, string reason, string report);
}
