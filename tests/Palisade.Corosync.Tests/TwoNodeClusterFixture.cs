using Palisade.Corosync.Tests.Lab;

namespace Palisade.Corosync.Tests;

/// <summary>One healthy two-node cluster shared by the tests that leave corosync itself running.</summary>
public sealed class TwoNodeClusterFixture : IDisposable
{
    internal CorosyncCluster Cluster { get; } = CorosyncCluster.Start(nodeCount: 2);

    public void Dispose() => Cluster.Dispose();
}
