using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Palisade.Core.Control;
using Palisade.Core.Messages;
using Palisade.Core.Shutdown;
using Palisade.Core.State;

namespace Palisade.Core.Json;

/// <summary>
/// The serialisation code of every type palisaded writes or reads in its wire forms (cluster messages, state hash,
/// partition adverts, control socket, journal, state files), generated at build time so that the daemon needs no
/// reflection to (de)serialise them. Enums are written as their names, as the options these types are used with say.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(ClusterMessage))]
[JsonSerializable(typeof(ClusterState))]
[JsonSerializable(typeof(PartitionAdvert))]
[JsonSerializable(typeof(AdvertCodec.SignedAdvert))]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
[JsonSerializable(typeof(JournalEntry))]
[JsonSerializable(typeof(ExternalNotice))]
[JsonSerializable(typeof(ImmutableArray<FenceRecord>))]
[JsonSerializable(typeof(ImmutableArray<GroupIntent>))]
[JsonSerializable(typeof(ImmutableArray<NodeIntent>))]
[JsonSerializable(typeof(ImmutableArray<MaintenanceIntent>))]
internal sealed partial class WireJsonContext : JsonSerializerContext;
