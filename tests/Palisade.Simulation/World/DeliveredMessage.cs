using System.Collections.Immutable;
using Palisade.Core.Messages;

namespace Palisade.Simulation.World;

/// <summary>One cluster message as CPG delivered it: when, from which node, to which nodes.</summary>
internal sealed record DeliveredMessage(DateTimeOffset At, string From, ClusterMessage Message, ImmutableArray<string> To);
