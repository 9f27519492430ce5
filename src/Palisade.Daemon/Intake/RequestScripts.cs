using System.Text.RegularExpressions;
using Palisade.Agents;
using Palisade.Core.Control;

namespace Palisade.Daemon.Intake;

/// <summary>
/// <c>clprexec --script NAME</c>: runs a script the administrator placed in the node's request script directory
/// (by name only, never a path), root-owned and not writable by others, with a time limit.
/// </summary>
internal sealed partial class RequestScripts(string directory, Func<ProcessSpec, CancellationToken, Task<ProcessResult>> run)
{
    public const string DefaultDirectory = "/etc/palisade/requests";
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(180);

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex ScriptName();

    public async Task<ControlResponse> RunAsync(string name)
    {
        if (!ScriptName().IsMatch(name))
        {
            return new ControlResponse(false, Error: $"'{(name.Length > 64 ? name[..64] + "..." : name)}' is not a script name (letters, digits, '.', '_', '-'; no path)");
        }

        var path = Path.Combine(directory, name);
        if (!File.Exists(path))
        {
            return new ControlResponse(false, Error: $"no script {name} in {directory}");
        }

        var mode = File.GetUnixFileMode(path);
        if ((mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 || (mode & UnixFileMode.UserExecute) == 0)
        {
            return new ControlResponse(false, Error: $"{path} must be executable and writable by its owner only");
        }

        var result = await run(new ProcessSpec(path, [], Timeout: Limit), CancellationToken.None).ConfigureAwait(false);
        var output = (result.StandardOutput + result.StandardError).Trim();
        return result.ExitCode == 0
            ? new ControlResponse(true, $"script {name} ran: exit 0{(output.Length == 0 ? "" : ": " + Tail(output))}")
            : new ControlResponse(false, Error: $"script {name} {(result.TimedOut ? $"timed out after {Limit.TotalSeconds:0} s" : $"exited {result.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "without a code"}")}{(output.Length == 0 ? "" : ": " + Tail(output))}");
    }

    private static string Tail(string text) => text.Length > 400 ? "..." + text[^400..] : text;
}
