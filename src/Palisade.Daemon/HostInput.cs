using Palisade.Core.Control;
using Palisade.Corosync;

namespace Palisade.Daemon;

/// <summary>Everything the host's single event loop reacts to.</summary>
internal abstract record HostInput;

internal sealed record FromCorosync(CorosyncEvent Event) : HostInput;

internal sealed record Tick : HostInput;

internal sealed record Control(ControlRequest Request, TaskCompletionSource<ControlResponse> Reply) : HostInput;

internal sealed record ShutdownRequested : HostInput;
