using System.Text;
using Palisade.Signals;

namespace Palisade.Daemon.Sources;

/// <summary>
/// Reads new kernel log lines as they come: from <c>/dev/kmsg</c> (one record per read; records older than
/// palisaded's start are skipped, they were there before it watched) or from a log file that grows (followed from its
/// end, and from its start again when it is replaced or cut).
/// </summary>
internal static class KernelLogFollower
{
    private static readonly TimeSpan FilePoll = TimeSpan.FromMilliseconds(200);

    public static Task FollowAsync(string path, Action<KernelLogLine> line, TimeProvider time, CancellationToken ct) =>
        path.StartsWith("/dev/", StringComparison.Ordinal)
            ? Task.Factory.StartNew(() => FollowDevice(path, line, ct), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default)
            : FollowFileAsync(path, line, time, ct);

    private static void FollowDevice(string path, Action<KernelLogLine> line, CancellationToken ct)
    {
        // Both clocks count from boot (CLOCK_MONOTONIC): a record stamped before this moment was already in the buffer.
        var started = TimeSpan.FromMilliseconds(Environment.TickCount64) - TimeSpan.FromSeconds(1);
        using var device = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
        var buffer = new byte[8192];
        while (!ct.IsCancellationRequested)
        {
            int read;
            try
            {
                read = device.Read(buffer, 0, buffer.Length);
            }
            catch (IOException)
            {
                continue; // EPIPE: records were overwritten before they were read; the next read goes on
            }

            if (read == 0)
            {
                return;
            }

            if (KernelLogLine.ParseKmsg(Encoding.UTF8.GetString(buffer, 0, read)) is { } record && (record.SinceBoot is not { } at || at >= started))
            {
                line(record);
            }
        }
    }

    private static async Task FollowFileAsync(string path, Action<KernelLogLine> line, TimeProvider time, CancellationToken ct)
    {
        long offset = File.Exists(path) ? new FileInfo(path).Length : 0;
        var pending = new StringBuilder();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (File.Exists(path))
                {
                    await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                    if (file.Length < offset)
                    {
                        offset = 0; // replaced or cut: read the new content from its start
                        pending.Clear();
                    }

                    file.Seek(offset, SeekOrigin.Begin);
                    using var reader = new StreamReader(file, Encoding.UTF8);
                    var text = await reader.ReadToEndAsync(ct);
                    offset = file.Length;
                    pending.Append(text);
                    var complete = pending.ToString();
                    var end = complete.LastIndexOf('\n');
                    if (end >= 0)
                    {
                        foreach (var raw in complete[..end].Split('\n'))
                        {
                            if (KernelLogLine.Parse(raw) is { } parsed)
                            {
                                line(parsed);
                            }
                        }

                        pending.Clear().Append(complete[(end + 1)..]);
                    }
                }
            }
            catch (IOException)
            {
                // the file is being replaced: the next poll reads it again
            }

            await Task.Delay(FilePoll, time, ct);
        }
    }
}
