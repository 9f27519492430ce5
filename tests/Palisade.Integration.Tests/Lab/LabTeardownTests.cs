using Palisade.Lab;
using Xunit;
using static Palisade.Integration.Tests.Lab.LabTestSupport;

namespace Palisade.Integration.Tests.Lab;

/// <summary>Each test gets its own 3-node lab (IAsyncLifetime runs per test) and always takes it down.</summary>
public sealed class LabTeardownTests : IAsyncLifetime
{
    private readonly LabController lab = NewController();

    public async Task InitializeAsync()
    {
        await lab.DownAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource(TestLimit);
        await lab.UpAsync(3, null, cts.Token);
    }

    public Task DisposeAsync() => lab.DownAsync(CancellationToken.None);

    [Fact]
    public async Task DownRemovesNamespacesProcessesAndStateAndCanRepeat()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var pids = LabPids();
        Assert.NotEmpty(pids);
        Assert.True(Directory.Exists(lab.StatePath));

        await lab.DownAsync(cts.Token);

        AssertNothingLeft(pids);
        await lab.DownAsync(cts.Token);
        AssertNothingLeft(pids);
        var error = await Assert.ThrowsAsync<LabException>(() => lab.StatusAsync(cts.Token));
        Assert.Contains("no lab is running", error.Message);
    }

    [Fact]
    public async Task DownAfterACrashThatLostTheStateStillRemovesEverything()
    {
        using var cts = new CancellationTokenSource(TestLimit);
        var pids = LabPids();
        Assert.NotEmpty(pids);
        Directory.Delete(lab.StatePath, recursive: true);

        await lab.DownAsync(cts.Token);

        AssertNothingLeft(pids);
    }

    /// <summary>Every process in the lab's namespaces: BMCs, node inits, corosync.</summary>
    private static List<int> LabPids() => LabNamespaces().SelectMany(NamespacePids).ToList();

    private void AssertNothingLeft(IEnumerable<int> pids)
    {
        Assert.Empty(LabNamespaces());
        Assert.DoesNotContain(pids, IsAlive);
        Assert.False(Directory.Exists(lab.StatePath));
    }
}
