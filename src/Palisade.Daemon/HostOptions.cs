using Palisade.Core.Shutdown;

namespace Palisade.Daemon;

/// <summary>Where palisaded keeps its files, and the switches it shares with the command line.</summary>
internal sealed record HostOptions
{
    /// <summary>Persistent state of this node (fence history).</summary>
    public string StateDirectory { get; init; } = "/var/lib/palisade";

    /// <summary>The configuration file, read again by <c>palisade sd -r</c>.</summary>
    public string ConfigPath { get; init; } = "/etc/palisade/palisade.yaml";

    /// <summary>Signs partition adverts: the corosync authkey every node of the cluster already shares.</summary>
    public string AdvertKeyFile { get; init; } = Configuration.CorosyncConfWriter.AuthkeyPath;

    /// <summary>The key read from <see cref="AdvertKeyFile"/> at start; null when this node sends no adverts (no admin address).</summary>
    public ClusterKey? AdvertKey { get; init; }

    public DebugSwitch Debug { get; init; } = new();

    /// <summary>Where <c>clprexec --script NAME</c> finds its scripts.</summary>
    public string RequestScripts { get; init; } = Intake.RequestScripts.DefaultDirectory;

    /// <summary>
    /// Names this palisaded process in its probe reports: a lost node that comes back with a new instance that runs
    /// nothing restarted cleanly and is not fenced.
    /// </summary>
    public string Instance { get; init; } = Guid.NewGuid().ToString("N")[..16];
}
