namespace Palisade.Agents.Monitors;

/// <summary>
/// The <c>custom</c> monitor: <c>/bin/sh -c COMMAND</c> with <c>PALISADE_MONITOR</c> set to the monitor's name. Exit 0
/// is Normal, 1 Error, 2 Warning; any other exit is Error (<c>exited N</c>), as is a shell that cannot start. At the
/// timeout the process tree is killed and the check returns TimedOut without waiting for it to die.
/// </summary>
internal sealed class CustomCheck : IMonitorCheck
{
    public const string MonitorVariable = "PALISADE_MONITOR";

    private const string Shell = "/bin/sh";

    private readonly string _name;
    private readonly string _command;
    private readonly TimeProvider _time;

    public CustomCheck(string name, string command, TimeProvider time)
    {
        _name = name;
        _command = command;
        _time = time;
    }

    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [MonitorVariable] = _name };
        ProcessResult? result = await ChildRun.RunAsync(new ProcessSpec(Shell, ["-c", _command], environment), timeout, _time, ct).ConfigureAwait(false);
        (CheckOutcome outcome, string reason) = result switch
        {
            null => (CheckOutcome.TimedOut, $"did not finish within {AgentText.Span(timeout)}"),
            { ExitCode: null } => (CheckOutcome.Error, AgentText.FirstLine(result)),
            { ExitCode: 0 } => (CheckOutcome.Normal, WithOutput("exited 0", result)),
            { ExitCode: 1 } => (CheckOutcome.Error, WithOutput("exited 1", result)),
            { ExitCode: 2 } => (CheckOutcome.Warning, WithOutput("exited 2", result)),
            { ExitCode: { } code } => (CheckOutcome.Error, WithOutput($"exited {code}", result)),
        };
        return new CheckResult(outcome, reason, _time.GetElapsedTime(started));
    }

    /// <summary>"exited 1: the first line it printed" (stderr first), so an operator sees the command's own words.</summary>
    private static string WithOutput(string head, ProcessResult result) => AgentText.WithDetail(head, AgentText.FirstLine(result));
}
