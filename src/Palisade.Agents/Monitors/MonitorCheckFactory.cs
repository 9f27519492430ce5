using Palisade.Core.Configuration;

namespace Palisade.Agents.Monitors;

/// <summary>Builds the check of one configured monitor.</summary>
public static class MonitorCheckFactory
{
    /// <summary>
    /// The check for <paramref name="config"/>'s kind. The config loader guarantees what each kind needs; a config
    /// built without it is a programming error (<see cref="ArgumentException"/>).
    /// </summary>
    public static IMonitorCheck Create(MonitorConfig config, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        TimeProvider clock = time ?? TimeProvider.System;
        return config.Kind switch
        {
            MonitorKind.Process when config.PidFile is { } pidFile => ProcessCheck.ByPidFile(pidFile, clock),
            MonitorKind.Process => ProcessCheck.ByName(Required(config.Process, config, "process or pid file"), config.MinCount, clock),
            MonitorKind.Ip when !config.Addresses.IsDefaultOrEmpty => new IpCheck(config.Addresses, clock),
            MonitorKind.Ip => throw Missing(config, "addresses"),
            MonitorKind.Nic => new NicCheck(Required(config.Interface, config, "interface"), clock),
            MonitorKind.Disk => new DiskCheck(Required(config.Path, config, "path"), clock),
            MonitorKind.Custom => new CustomCheck(config.Name, Required(config.Command, config, "command"), clock),
            _ => throw new ArgumentException($"monitor {config.Name}: unknown kind {config.Kind}", nameof(config)),
        };
    }

    private static string Required(string? value, MonitorConfig config, string what) =>
        string.IsNullOrEmpty(value) ? throw Missing(config, what) : value;

    private static ArgumentException Missing(MonitorConfig config, string what) =>
        new($"monitor {config.Name} ({MonitorConfig.KindName(config.Kind)}) has no {what}", nameof(config));
}
