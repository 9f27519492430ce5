using System.Globalization;

namespace Palisade.Agents.Monitors;

/// <summary>
/// The <c>process</c> monitor: by name, at least <c>min_count</c> live processes whose /proc/PID/comm is the name or
/// whose command line's first word has it as its file name; or by pid file, the process it names is alive. Zombies do
/// not count. Only /proc and the pid file are read; the scan runs off the caller's thread and is abandoned at the timeout.
/// </summary>
internal sealed class ProcessCheck : IMonitorCheck
{
    private readonly string? _name;
    private readonly string? _pidFile;
    private readonly int _minCount;
    private readonly TimeProvider _time;

    private ProcessCheck(string? name, string? pidFile, int minCount, TimeProvider time)
    {
        _name = name;
        _pidFile = pidFile;
        _minCount = minCount;
        _time = time;
    }

    public static ProcessCheck ByName(string name, int minCount, TimeProvider time) =>
        new(name, null, Math.Max(1, minCount), time);

    public static ProcessCheck ByPidFile(string pidFile, TimeProvider time) => new(null, pidFile, 1, time);

    public async Task<CheckResult> CheckAsync(TimeSpan timeout, CancellationToken ct)
    {
        long started = _time.GetTimestamp();
        (CheckOutcome outcome, string reason) result;
        try
        {
            result = await Task.Run(Look, ct).WaitAsync(timeout, _time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            result = (CheckOutcome.TimedOut, $"{Subject}: /proc could not be read within {AgentText.Span(timeout)}");
        }

        return new CheckResult(result.outcome, result.reason, _time.GetElapsedTime(started));
    }

    private string Subject => _name ?? $"pid file {_pidFile}";

    private (CheckOutcome, string) Look() => _name is not null ? CountByName(_name) : FollowPidFile(_pidFile!);

    private (CheckOutcome, string) CountByName(string name)
    {
        int running = ProcFs.Pids().Count(pid => Matches(pid, name) && ProcFs.IsAlive(pid));
        return running >= _minCount
            ? (CheckOutcome.Normal, $"{name}: {running} running")
            : (CheckOutcome.Error, $"{name}: {running} running, at least {_minCount} wanted");
    }

    /// <summary>The kernel's name first (cheap, always there); the command line only when that differs.</summary>
    private static bool Matches(int pid, string name) =>
        ProcFs.Comm(pid) == name || (ProcFs.FirstWord(pid) is { } first && Path.GetFileName(first) == name);

    private static (CheckOutcome, string) FollowPidFile(string pidFile)
    {
        string text;
        try
        {
            text = File.ReadAllText(pidFile);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return (CheckOutcome.Error, $"pid file {pidFile} does not exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (CheckOutcome.Error, $"cannot read pid file {pidFile}: {e.Message}");
        }

        string trimmed = text.Trim();
        if (!int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 0)
        {
            return (CheckOutcome.Error, $"pid file {pidFile} holds no pid ('{Printable(trimmed)}')");
        }

        return ProcFs.IsAlive(pid)
            ? (CheckOutcome.Normal, $"process {pid} of pid file {pidFile} runs")
            : (CheckOutcome.Error, $"process {pid} of pid file {pidFile} is gone");
    }

    /// <summary>The first 32 characters, control characters shown as '?', for a reason line.</summary>
    private static string Printable(string text)
    {
        string head = text.Length <= 32 ? text : text[..32] + "...";
        return string.Concat(head.Select(c => char.IsControl(c) ? '?' : c));
    }
}
