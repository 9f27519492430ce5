using System.Globalization;
using Xunit;

namespace Palisade.Daemon.Tests;

public sealed class InstanceLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("palisade-lock-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_second_palisaded_on_the_node_is_refused_naming_the_first_until_the_first_lets_go()
    {
        var path = InstanceLock.PathFor(Path.Combine(_dir, "palisaded.sock"));
        var (first, _) = InstanceLock.Acquire(path);
        Assert.NotNull(first);

        var (second, problem) = InstanceLock.Acquire(path);

        Assert.Null(second);
        Assert.Equal($"another palisaded already runs on this node (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)} holds {path}); not starting a second one", problem);
        first!.Dispose();
        var (third, _) = InstanceLock.Acquire(path);
        Assert.NotNull(third);
        third!.Dispose();
    }
}
