using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "lab network created: pal-sw, pal-bmc and {Count} node namespaces")]
    public static partial void NetworkCreated(ILogger logger, int count);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "removed namespace {Namespace}")]
    public static partial void NamespaceRemoved(ILogger logger, string @namespace);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "BMC of {Node} answers at {Address}:623")]
    public static partial void BmcStarted(ILogger logger, string node, string address);

    [LoggerMessage(EventId = 4, Level = LogLevel.Debug, Message = "node {Node} booting, init pid {Pid}")]
    public static partial void NodeBooting(ILogger logger, string node, string pid);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "no daemon at {Path}: nodes run corosync only (set PALISADE_DAEMON or install palisaded)")]
    public static partial void NoDaemon(ILogger logger, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "lab '{Cluster}' is up: {Count} nodes in {ElapsedMs} ms")]
    public static partial void LabReady(ILogger logger, string cluster, int count, long elapsedMs);

    [LoggerMessage(EventId = 7, Level = LogLevel.Warning, Message = "{Note}")]
    public static partial void AddressesReplaced(ILogger logger, string note);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "lab removed: {Count} namespaces deleted, state directory {StateRoot} gone")]
    public static partial void LabDown(ILogger logger, int count, string stateRoot);

    [LoggerMessage(EventId = 9, Level = LogLevel.Error, Message = "lab up failed, removing the partial lab: {Reason}")]
    public static partial void UpFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "removing the partial lab failed too: {Reason}")]
    public static partial void CleanupFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "{Node}: power {Action} through the BMC -> {Result} ({ElapsedMs} ms)")]
    public static partial void PowerChanged(ILogger logger, string node, string action, string result, long elapsedMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "{Node}: {Links} set {State} in pal-sw")]
    public static partial void LinksChanged(ILogger logger, string node, string links, string state);

    [LoggerMessage(EventId = 13, Level = LogLevel.Information, Message = "corosync runs on every node and each sees all {Count} members")]
    public static partial void MembershipComplete(ILogger logger, int count);

    [LoggerMessage(EventId = 14, Level = LogLevel.Information, Message = "palisaded answers on /run/palisade/palisaded.sock on every node")]
    public static partial void DaemonsReady(ILogger logger);

    [LoggerMessage(EventId = 16, Level = LogLevel.Information, Message = "{Note}")]
    public static partial void AgentAdded(ILogger logger, string note);

    [LoggerMessage(EventId = 15, Level = LogLevel.Debug, Message = "no lab state at {StateRoot}; removing the pal-* namespaces found: {Namespaces}")]
    public static partial void DownWithoutState(ILogger logger, string stateRoot, string namespaces);

    [LoggerMessage(EventId = 17, Level = LogLevel.Debug, Message = "Redfish BMCs answer on port 443 of every BMC address ({Count} nodes)")]
    public static partial void RedfishStarted(ILogger logger, int count);

    [LoggerMessage(EventId = 18, Level = LogLevel.Information, Message = "Redfish BMC listening for {Count} nodes: {Endpoints}")]
    public static partial void RedfishListening(ILogger logger, int count, string endpoints);

    [LoggerMessage(EventId = 19, Level = LogLevel.Information, Message = "Redfish BMC of {Node}: {Method} {Path} refused: no valid credentials")]
    public static partial void RedfishUnauthorized(ILogger logger, string node, string method, string path);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Redfish BMC of {Node}: reset {ResetType} done in {ElapsedMs} ms")]
    public static partial void RedfishReset(ILogger logger, string node, string resetType, long elapsedMs);

    [LoggerMessage(EventId = 21, Level = LogLevel.Error, Message = "Redfish BMC of {Node}: reset {ResetType} failed: {Reason}")]
    public static partial void RedfishResetFailed(ILogger logger, string node, string resetType, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Redfish BMC of {Node}: cannot read the power state: {Reason}")]
    public static partial void RedfishPowerUnknown(ILogger logger, string node, string reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "kdump announcements from {From} to {To}, UDP port {Port}")]
    public static partial void KdumpRoute(ILogger logger, string from, string to, int port);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "{Ready}: announcing every {IntervalSeconds} s")]
    public static partial void KdumpRunning(ILogger logger, string ready, double intervalSeconds);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "kdump announcement to {To} failed, still trying: {Reason}")]
    public static partial void KdumpSendFailed(ILogger logger, string to, string reason);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "kdump announcements to {To} go out again")]
    public static partial void KdumpSendRecovered(ILogger logger, string to);

    [LoggerMessage(EventId = 27, Level = LogLevel.Information, Message = "{Node} panicked: its processes are gone, its BMCs report power on, its dump kernel announces itself to {Receivers}")]
    public static partial void NodePanicked(ILogger logger, string node, string receivers);

    [LoggerMessage(EventId = 28, Level = LogLevel.Information, Message = "{Node}: BMCs at {Address} (IPMI and Redfish) {State}")]
    public static partial void BmcChanged(ILogger logger, string node, string address, string state);

    [LoggerMessage(EventId = 29, Level = LogLevel.Information, Message = "{Node}: link {Link} set {State} in {Namespace}")]
    public static partial void NodeLinkChanged(ILogger logger, string node, string link, string state, string @namespace);
}
