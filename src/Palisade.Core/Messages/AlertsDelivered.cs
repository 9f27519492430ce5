using System.Collections.Immutable;

namespace Palisade.Core.Messages;

/// <summary>
/// A node finished alert deliveries (delivered, or dropped past their maximum age): the other nodes, which hold the
/// same events in case that node dies before delivering them, let them go. It changes no state but its version.
/// </summary>
public sealed record AlertsDelivered(ImmutableArray<AlertDone> Done) : NodeMessage;

/// <summary>One finished delivery: the alert, its recipient ("" for none) and the event's sequence.</summary>
public sealed record AlertDone(string Alert, string Recipient, long Sequence);
