using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Palisade.Agents;

/// <summary>
/// Each agent's metadata, read once per agent path for the life of the process. Reading it starts a Python
/// interpreter that imports cloud SDKs (up to ~0.6 s for fence_aws); a kill should not pay that every time.
/// Failures are not kept, so a fixed installation is picked up at the next call.
/// </summary>
internal static class FenceAgentMetadataCache
{
    private static readonly ConcurrentDictionary<string, FenceAgentMetadata> Loaded = new(StringComparer.Ordinal);

    /// <summary>The metadata, or why it could not be read (and whether that was a timeout).</summary>
    public static async Task<MetadataLoad> GetAsync(string path, TimeSpan timeout, ILogger logger, TimeProvider time, CancellationToken ct)
    {
        if (Loaded.TryGetValue(path, out FenceAgentMetadata? cached))
        {
            return new MetadataLoad(cached, "", false);
        }

        long started = time.GetTimestamp();
        ProcessResult run = await FenceAgentProcess.RunMetadataAsync(path, timeout, ct).ConfigureAwait(false);
        string name = Path.GetFileName(path);
        if (run.TimedOut)
        {
            return new MetadataLoad(null, $"{name} -o metadata timed out after {AgentText.Span(run.Duration)}", true);
        }

        if (run.ExitCode != 0)
        {
            string exit = run.ExitCode is { } code ? $"exited {code}" : "did not run";
            return new MetadataLoad(null, AgentText.WithDetail($"{name} -o metadata {exit}", AgentText.FirstLine(run)), false);
        }

        try
        {
            FenceAgentMetadata metadata = FenceAgentMetadata.Parse(run.StandardOutput);
            Loaded.TryAdd(path, metadata);
            FenceAgentLog.MetadataLoaded(logger, path, metadata.Parameters.Count, string.Join(",", metadata.Actions.Order(StringComparer.Ordinal)),
                time.GetElapsedTime(started).TotalMilliseconds);
            return new MetadataLoad(metadata, "", false);
        }
        catch (FormatException e)
        {
            return new MetadataLoad(null, $"{name} -o metadata: {e.Message}", false);
        }
    }
}

/// <summary>The outcome of reading an agent's metadata.</summary>
internal sealed record MetadataLoad(FenceAgentMetadata? Metadata, string Problem, bool TimedOut);
