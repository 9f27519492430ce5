using System.Text.Json.Serialization;
using Palisade.Daemon.Alerts;
using Palisade.Daemon.Api;
using Palisade.Daemon.Intake;

namespace Palisade.Daemon;

/// <summary>
/// The serialisation code, generated at build time, of the JSON palisaded itself writes and reads besides the wire
/// forms of the core: the alert queue file, webhook bodies, the intake's and the API's request bodies and answers.
/// Enums are written as their names. The options each use sets (names, escaping) are given where it is used.
/// </summary>
[JsonSourceGenerationOptions(UseStringEnumConverter = true)]
[JsonSerializable(typeof(AlertQueueLine))]
[JsonSerializable(typeof(WebhookPayload))]
[JsonSerializable(typeof(ApiAuthority.LoginRequest))]
[JsonSerializable(typeof(NotifyBody))]
[JsonSerializable(typeof(NamedBody))]
[JsonSerializable(typeof(ProblemAnswer))]
[JsonSerializable(typeof(OkAnswer))]
internal sealed partial class DaemonJsonContext : JsonSerializerContext;

/// <summary>An error answer: a problem detail (RFC 9457).</summary>
internal sealed record ProblemAnswer(string Type, string Title, int Status, string Detail);

/// <summary>The intake's answer to a request it carried out.</summary>
internal sealed record OkAnswer(bool Ok, string Message);
