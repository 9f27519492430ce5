using System.Diagnostics;
using System.Text.Json;
using Xunit.Sdk;

namespace Palisade.Corosync.Tests.Lab;

/// <summary>A running Palisade.Corosync.Probe: JSON events on stdout, commands on stdin.</summary>
internal sealed class ProbeProcess : IDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly LineCollector<JsonElement> _events;
    private readonly LineCollector<string> _log;

    private ProbeProcess(string label, Process process)
    {
        Label = label;
        _process = process;
        Pid = (uint)process.Id;
        _events = new LineCollector<JsonElement>(process.StandardOutput, ParseLine);
        _log = new LineCollector<string>(process.StandardError, line => line);
    }

    public string Label { get; }

    /// <summary>Host pid: nsenter execs the runtime in place (no fork for net/mount), so this is what corosync sees.</summary>
    public uint Pid { get; }

    /// <summary>Starts <c>launcher... dotnet Probe.dll group</c>; launcher is e.g. nsenter into a node's namespaces.</summary>
    public static ProbeProcess Start(string label, IReadOnlyList<string> launcher, string group)
    {
        var probeDll = Path.Combine(AppContext.BaseDirectory, "Palisade.Corosync.Probe.dll");
        var startInfo = new ProcessStartInfo(launcher[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launcher.Skip(1).Concat([DotnetHost.Path, probeDll, group]))
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"cannot start probe {label}");
        process.StandardInput.AutoFlush = true;
        return new ProbeProcess(label, process);
    }

    public static string EventName(JsonElement e) => e.GetProperty("event").GetString() ?? string.Empty;

    public IReadOnlyList<JsonElement> Events => _events.Snapshot();

    /// <summary>The probe's log (stderr) so far.</summary>
    public IReadOnlyList<string> LogLines => _log.Snapshot();

    public JsonElement WaitForReady() => WaitFor("ready", e => EventName(e) == "ready");

    /// <summary>Position in the event stream, for waiting only on events that arrive after it.</summary>
    public int Mark() => _events.Count;

    public JsonElement WaitFor(
        string description, Func<JsonElement, bool> predicate, TimeSpan? timeout = null, int from = 0) =>
        WaitForCount(description, predicate, 1, timeout, from)[0];

    public IReadOnlyList<JsonElement> WaitForCount(
        string description, Func<JsonElement, bool> predicate, int count, TimeSpan? timeout = null, int from = 0)
    {
        var matches = _events.WaitForCount(predicate, count, timeout ?? DefaultTimeout, from);
        if (matches is null)
        {
            throw new XunitException(
                $"probe {Label}: no {count} x '{description}' within {(timeout ?? DefaultTimeout).TotalSeconds} s " +
                $"(stdout ended: {_events.Ended})\n--- stdout tail ---\n{_events.Tail(15)}--- stderr tail ---\n{_log.Tail(15)}");
        }

        return matches;
    }

    public void Command(string line) => _process.StandardInput.WriteLine(line);

    /// <summary>SIGKILL, like a crash: no cpg_leave, no finalize.</summary>
    public void Kill() => _process.Kill();

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            throw new XunitException($"probe {Label} still running after {timeout.TotalSeconds} s\n{_log.Tail(15)}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already reaped.
        }

        _process.Dispose();
    }

    private static JsonElement ParseLine(string line)
    {
        try
        {
            using var document = JsonDocument.Parse(line);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["event"] = "unparsed", ["line"] = line });
        }
    }
}
