namespace Palisade.Agents;

/// <summary>
/// What to run. <paramref name="Environment"/> entries are added to (and override) the inherited environment.
/// <paramref name="StandardInput"/> is written to the child and then closed; without it the child gets an empty,
/// closed stdin, never the caller's. <paramref name="Timeout"/> null means no limit.
/// </summary>
public sealed record ProcessSpec(
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string>? Environment = null,
    string? StandardInput = null,
    TimeSpan? Timeout = null);

/// <summary>
/// How a process run ended. <paramref name="ExitCode"/> is null when the process was killed on timeout or could
/// not be started at all (then <paramref name="StandardError"/> says why). Output is bounded: a long stream keeps
/// its head and tail around an omission marker.
/// </summary>
public sealed record ProcessResult(int? ExitCode, bool TimedOut, string StandardOutput, string StandardError, TimeSpan Duration);
