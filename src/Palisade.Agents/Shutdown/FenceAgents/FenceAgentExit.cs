using System.Globalization;
using System.Text.RegularExpressions;

namespace Palisade.Agents;

/// <summary>Reads a fence agent run the fence-agents way: exit 0 success (status: on), 2 status off, else an error.</summary>
internal static partial class FenceAgentExit
{
    public const int StatusOff = 2;

    /// <summary>The power state a status run reports, or Unknown with what went wrong.</summary>
    public static (PowerState State, string Problem) Status(ProcessResult run) => run switch
    {
        { TimedOut: false, ExitCode: 0 } => (PowerState.On, ""),
        { TimedOut: false, ExitCode: StatusOff } => (PowerState.Off, ""),
        _ => (PowerState.Unknown, Failure("status", run)),
    };

    /// <summary>"off exited 1: ERROR: Connection timed out", "status timed out after 3s".</summary>
    public static string Failure(string action, ProcessResult run)
    {
        if (run.TimedOut)
        {
            return $"{action} timed out after {AgentText.Span(run.Duration)}";
        }

        string exit = run.ExitCode is { } code ? $"exited {code.ToString(CultureInfo.InvariantCulture)}" : "could not start";
        return AgentText.WithDetail($"{action} {exit}", FirstLine(run));
    }

    public static string Word(PowerState state) => state switch
    {
        PowerState.On => "on",
        PowerState.Off => "off",
        _ => "unknown",
    };

    /// <summary>
    /// The agent's first ERROR line, else the first line of stderr (else stdout), without the timestamp the Python
    /// agents' logging puts first. With verbose on, INFO lines about the commands run come before the error.
    /// </summary>
    private static string FirstLine(ProcessResult run)
    {
        foreach (string line in run.StandardError.Split('\n'))
        {
            string text = LogTimestamp().Replace(line.Trim(), "");
            if (text.StartsWith("ERROR:", StringComparison.Ordinal))
            {
                return AgentText.Clip(text);
            }
        }

        return LogTimestamp().Replace(AgentText.FirstLine(run), "");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2},\d{3} ")]
    private static partial Regex LogTimestamp();
}
