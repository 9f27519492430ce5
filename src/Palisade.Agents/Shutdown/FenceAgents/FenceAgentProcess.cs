namespace Palisade.Agents;

/// <summary>How every fence agent run starts: the agent file itself, executed directly, never through a shell.</summary>
internal static class FenceAgentProcess
{
    /// <summary>
    /// Python agents print DeprecationWarnings on stderr with some interpreter versions; they would crowd out the
    /// agent's own first error line in a reason.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> Environment =
        new Dictionary<string, string>(StringComparer.Ordinal) { ["PYTHONWARNINGS"] = "ignore" };

    /// <summary>
    /// Runs the agent without command-line options, so that it reads its options as key=value lines from stdin
    /// (the ClusterLabs protocol). Passwords therefore never show in the process list.
    /// </summary>
    public static Task<ProcessResult> RunWithStdinAsync(string path, string stdin, TimeSpan timeout, CancellationToken ct) =>
        ProcessRunner.RunAsync(new ProcessSpec(path, [], Environment, stdin, timeout), ct);

    /// <summary>Runs <c>agent -o metadata</c>; this one call uses the command line, as it carries no options.</summary>
    public static Task<ProcessResult> RunMetadataAsync(string path, TimeSpan timeout, CancellationToken ct) =>
        ProcessRunner.RunAsync(new ProcessSpec(path, ["-o", "metadata"], Environment, null, timeout), ct);
}
