using Microsoft.Extensions.Logging;

namespace Palisade.Daemon;

/// <summary>Every log line palisaded writes, in one place with stable event ids.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "palisaded starting: cluster {Cluster}, node {Node} (id {NodeId}), config {Config}")]
    public static partial void Starting(ILogger logger, string cluster, string node, uint nodeId, string config);

    [LoggerMessage(2, LogLevel.Information, "{Note}")]
    public static partial void StateNote(ILogger logger, string note);

    [LoggerMessage(3, LogLevel.Information, "decision: {Message}")]
    public static partial void Decision(ILogger logger, string message);

    [LoggerMessage(4, LogLevel.Information, "waiting: {Reason}")]
    public static partial void Waiting(ILogger logger, string reason);

    [LoggerMessage(5, LogLevel.Warning, "quorum {State}")]
    public static partial void QuorumChanged(ILogger logger, string state);

    [LoggerMessage(6, LogLevel.Critical, "local corosync lost ({Reason}): stopping every local resource now and exiting")]
    public static partial void CorosyncLost(ILogger logger, string reason);

    [LoggerMessage(7, LogLevel.Error, "could not decode a message from node {NodeId}: {Reason}")]
    public static partial void BadMessage(ILogger logger, uint nodeId, string reason);

    [LoggerMessage(8, LogLevel.Error, "STATE DIGEST MISMATCH with {Node} at version {Version}: theirs {Theirs}, ours {Ours}")]
    public static partial void DigestMismatch(ILogger logger, string node, long version, string theirs, string ours);

    [LoggerMessage(9, LogLevel.Information, "group {Group}: {Action} on this node ({Reason})")]
    public static partial void GroupAction(ILogger logger, string group, string action, string reason);

    [LoggerMessage(10, LogLevel.Information, "group {Group}: resource {Resource} {Action}: {Outcome} in {Millis} ms - {Detail}")]
    public static partial void ResourceAction(ILogger logger, string group, string resource, string action, string outcome, long millis, string detail);

    [LoggerMessage(11, LogLevel.Warning, "group {Group}: monitor of {Resource} failed: {Reason}")]
    public static partial void MonitorFailed(ILogger logger, string group, string resource, string reason);

    [LoggerMessage(26, LogLevel.Information, "group {Group}: monitor of {Resource} {What}")]
    public static partial void MonitorSuspended(ILogger logger, string group, string resource, string what);

    [LoggerMessage(25, LogLevel.Information, "group {Group}: monitor of {Resource} failed ({Failures} of {Retries} retries, not an error yet): {Reason}")]
    public static partial void MonitorRetrying(ILogger logger, string group, string resource, int failures, int retries, string reason);

    [LoggerMessage(12, LogLevel.Warning, "fencing {Target} with agent {Index} ({Type}): {Outcome} in {Millis} ms - {Reason}")]
    public static partial void FenceAttempt(ILogger logger, string target, int index, string type, string outcome, long millis, string reason);

    [LoggerMessage(13, LogLevel.Error, "refusing to fence {Target}: this node has no quorum")]
    public static partial void FenceRefused(ILogger logger, string target);

    [LoggerMessage(14, LogLevel.Error, "control request failed: {Reason}")]
    public static partial void ControlFailed(ILogger logger, string reason);

    [LoggerMessage(15, LogLevel.Information, "shutting down: stopping local groups, then leaving the cluster")]
    public static partial void ShuttingDown(ILogger logger);

    [LoggerMessage(16, LogLevel.Error, "sending to the cluster failed: {Reason}")]
    public static partial void SendFailed(ILogger logger, string reason);

    [LoggerMessage(17, LogLevel.Information, "control socket listening on {Path}")]
    public static partial void Listening(ILogger logger, string path);

    [LoggerMessage(70, LogLevel.Information, "palisaded ready: {Node} joined the cluster's process group, control socket listening ({Service})")]
    public static partial void Ready(ILogger logger, string node, string service);

    [LoggerMessage(19, LogLevel.Information, "palisaded exiting with code {Code}")]
    public static partial void Exiting(ILogger logger, int code);

    [LoggerMessage(18, LogLevel.Information, "corosync membership: {Members} (ring {Ring})")]
    public static partial void TotemMembership(ILogger logger, string members, ulong ring);

    [LoggerMessage(20, LogLevel.Warning, "refused a message from node {NodeId}: {Reason}")]
    public static partial void MessageRefused(ILogger logger, uint nodeId, string reason);

    [LoggerMessage(21, LogLevel.Warning, "corosync is busy (TRY_AGAIN) answering quorum_getquorate: quorum unknown, nothing decided this round")]
    public static partial void QuorumUnknown(ILogger logger);

    [LoggerMessage(22, LogLevel.Error, "operator intents could not be {Action} {Path}: {Reason}")]
    public static partial void StoreFailed(ILogger logger, string action, string path, string reason);

    [LoggerMessage(23, LogLevel.Warning, "sending {Report} again: the cluster has not applied it after {Elapsed}")]
    public static partial void ReportResent(ILogger logger, string report, TimeSpan elapsed);

    [LoggerMessage(24, LogLevel.Warning, "control connection refused: {Reason}")]
    public static partial void ControlRefused(ILogger logger, string reason);

    [LoggerMessage(27, LogLevel.Warning, "monitor {Monitor} ({Type}): {Health}: {Reason}")]
    public static partial void ListedMonitorChanged(ILogger logger, string monitor, string type, string health, string reason);

    [LoggerMessage(28, LogLevel.Information, "monitor {Monitor} ({Type}) failed ({Failures} of {Retries} retries, not an error yet): {Reason}")]
    public static partial void ListedMonitorRetrying(ILogger logger, string monitor, string type, int failures, int retries, string reason);

    [LoggerMessage(29, LogLevel.Information, "monitor {Monitor} ({Type}) {What}")]
    public static partial void ListedMonitorIdle(ILogger logger, string monitor, string type, string what);

    [LoggerMessage(30, LogLevel.Warning, "monitor {Monitor}: {Action} command {Outcome} in {Millis} ms: {Output}")]
    public static partial void RecoveryCommand(ILogger logger, string monitor, string action, string outcome, long millis, string output);

    [LoggerMessage(31, LogLevel.Warning, "leaving the cluster: {Reason}")]
    public static partial void LeavingCluster(ILogger logger, string reason);

    [LoggerMessage(32, LogLevel.Critical, "node action {Action}: '{Command}' {Outcome} in {Millis} ms: {Output}")]
    public static partial void NodeCommand(ILogger logger, string action, string command, string outcome, long millis, string output);

    [LoggerMessage(33, LogLevel.Critical, "node action {Action}: running '{Command}' ({Reason})")]
    public static partial void NodeCommandStarting(ILogger logger, string action, string command, string reason);

    [LoggerMessage(34, LogLevel.Warning, "message refused (from {Source}): {Problem}")]
    public static partial void NoticeRefused(ILogger logger, string source, string problem);

    [LoggerMessage(35, LogLevel.Information, "message {Id} accepted: {Severity} {Device} on {Node} from {Source}")]
    public static partial void NoticeAccepted(ILogger logger, string id, string severity, string device, string node, string source);

    [LoggerMessage(36, LogLevel.Warning, "journal {Path} unreadable: {Reason}; nothing replayed")]
    public static partial void JournalUnreadable(ILogger logger, string path, string reason);

    [LoggerMessage(37, LogLevel.Warning, "journal: {Count} message(s) accepted before the restart published again (the cluster applies each once)")]
    public static partial void JournalReplayed(ILogger logger, int count);

    [LoggerMessage(38, LogLevel.Information, "{Repeats} repeat(s) of {Device} on {Node} held back in the last window: published as message {Id}")]
    public static partial void NoticeRepeats(ILogger logger, int repeats, string device, string node, string id);

    [LoggerMessage(39, LogLevel.Error, "intake: the HTTPS endpoint is not started: {Reason}")]
    public static partial void IntakeNotStarted(ILogger logger, string reason);

    [LoggerMessage(40, LogLevel.Warning, "intake: {Problem}")]
    public static partial void IntakeSenderUnusable(ILogger logger, string problem);

    [LoggerMessage(41, LogLevel.Information, "intake: listening on {Url} for {Senders} sender(s)")]
    public static partial void IntakeListening(ILogger logger, string url, int senders);

    [LoggerMessage(42, LogLevel.Warning, "intake: {Reason}")]
    public static partial void IntakeDenied(ILogger logger, string reason);

    [LoggerMessage(43, LogLevel.Information, "intake: sender {Sender} (IP={Address}) asks for {What}")]
    public static partial void IntakeRequest(ILogger logger, string sender, string address, string what);

    [LoggerMessage(44, LogLevel.Information, "source {Source}: watching {What}")]
    public static partial void SourceStarted(ILogger logger, string source, string what);

    [LoggerMessage(45, LogLevel.Warning, "source {Source}: {Problem}")]
    public static partial void SourceProblem(ILogger logger, string source, string problem);

    [LoggerMessage(62, LogLevel.Debug, "redfish events: {MessageId} (event {EventId}) from the BMC of {Node} is not the cluster's business: left out")]
    public static partial void RedfishEventIgnored(ILogger logger, string node, string messageId, string eventId);

    [LoggerMessage(63, LogLevel.Information, "API on {Url}, {Tokens} token(s) usable")]
    public static partial void ApiListening(ILogger logger, string url, int tokens);

    [LoggerMessage(64, LogLevel.Error, "API not started: {Reason}")]
    public static partial void ApiNotStarted(ILogger logger, string reason);

    [LoggerMessage(65, LogLevel.Warning, "API {Problem}")]
    public static partial void ApiTokenUnusable(ILogger logger, string problem);

    [LoggerMessage(66, LogLevel.Warning, "API request from {Address} for {Path} denied: {Reason}")]
    public static partial void ApiDenied(ILogger logger, string address, string path, string reason);

    [LoggerMessage(68, LogLevel.Information, "API {Method} {Path} by token {Token} from {Address}: {Outcome}")]
    public static partial void ApiAction(ILogger logger, string method, string path, string token, string address, string outcome);

    [LoggerMessage(69, LogLevel.Error, "API {Method} {Path} failed: {Reason}")]
    public static partial void ApiFailed(ILogger logger, string method, string path, string reason);

    [LoggerMessage(67, LogLevel.Warning, "group {Group}: monitor of {Resource} timed out, ignored (monitor_on_timeout: ignore): {Reason}")]
    public static partial void MonitorTimeoutIgnored(ILogger logger, string group, string resource, string reason);

    [LoggerMessage(90, LogLevel.Warning, "{What} during maintenance: this node's groups keep running untouched")]
    public static partial void MaintenanceKeepsGroups(ILogger logger, string what);

    [LoggerMessage(91, LogLevel.Information, "API login of {User} from {Address}: {Outcome}")]
    public static partial void ApiLogin(ILogger logger, string user, string address, string outcome);
}
