using Palisade.Core.Configuration;

namespace Palisade.Daemon;

/// <summary>
/// The one configuration every part of palisaded reads (host, shutdown daemon, partition resolution, adverts).
/// <c>palisade sd -r</c> swaps it as a whole, so no part keeps an older copy. The replicated state machine keeps the
/// configuration palisaded started with: the stream must mean the same on every node.
/// </summary>
internal sealed class LiveConfig(ClusterConfig initial)
{
    private volatile ClusterConfig _current = initial;

    public ClusterConfig Current => _current;

    public void Swap(ClusterConfig next) => _current = next;
}
