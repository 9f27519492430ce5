namespace Palisade.Agents;

/// <summary>
/// Stands in for a shutdown agent whose type is unknown or whose parameters are invalid, so the caller gets the
/// usual result shape (NotConfigured, with every problem in the reason) instead of an exception.
/// </summary>
internal sealed class UnusableShutdownAgent(string type, string reason) : IShutdownAgent
{
    public string Type { get; } = type;

    public Task<AgentResult> InitAsync(CancellationToken ct) => Task.FromResult(Result());

    public Task<AgentResult> TestAsync(CancellationToken ct) => Task.FromResult(Result());

    public Task<AgentResult> KillAsync(CancellationToken ct) => Task.FromResult(Result());

    private AgentResult Result() => new(AgentOutcome.NotConfigured, null, reason, "", TimeSpan.Zero);
}
