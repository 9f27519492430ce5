using Palisade.Agents.Monitors;
using Palisade.Core.Configuration;
using Xunit;

namespace Palisade.Agents.Tests.Monitors;

public sealed class MonitorCheckFactoryTests
{
    private static MonitorConfig Config(MonitorKind kind) => new() { Name = "m1", Kind = kind, Target = "g1" };

    [Fact]
    public void Each_kind_gets_its_check()
    {
        Assert.IsType<ProcessCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Process) with { Process = "sshd" }));
        Assert.IsType<ProcessCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Process) with { PidFile = "/run/sshd.pid" }));
        Assert.IsType<IpCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Ip) with { Addresses = ["198.18.0.1"] }));
        Assert.IsType<NicCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Nic) with { Interface = "eth1" }));
        Assert.IsType<DiskCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Disk) with { Path = "/dev/vda" }));
        Assert.IsType<CustomCheck>(MonitorCheckFactory.Create(Config(MonitorKind.Custom) with { Command = "true" }));
    }

    [Fact]
    public void A_config_missing_what_its_kind_watches_is_refused()
    {
        ArgumentException nic = Assert.Throws<ArgumentException>(() => MonitorCheckFactory.Create(Config(MonitorKind.Nic)));

        Assert.StartsWith("monitor m1 (nic) has no interface", nic.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => MonitorCheckFactory.Create(Config(MonitorKind.Ip)));
        Assert.Throws<ArgumentException>(() => MonitorCheckFactory.Create(Config(MonitorKind.Process)));
    }
}
