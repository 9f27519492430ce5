using Microsoft.Extensions.Hosting.Systemd;

namespace Palisade.Daemon.Service;

/// <summary>
/// Tells systemd (a <c>Type=notify</c> unit) when palisaded is ready and when it begins to stop. Does nothing when
/// systemd gave palisaded no notification socket (started by hand or by the lab).
/// </summary>
internal sealed class ServiceManager
{
    private readonly SystemdNotifier _notifier = new();

    public bool Enabled => _notifier.IsEnabled;

    /// <summary>Joined the cluster's process group with the control socket listening: <c>systemctl start</c> returns.</summary>
    public void Ready()
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Ready);
        }
    }

    /// <summary>Stopping: the groups are being stopped and the node is leaving.</summary>
    public void Stopping()
    {
        if (_notifier.IsEnabled)
        {
            _notifier.Notify(ServiceState.Stopping);
        }
    }
}
