using Palisade.Lab;

namespace Palisade.Integration.Tests.Lab;

/// <summary>A UDP listener on port 7410 inside a lab node (python3 from Debian, run with lab exec).</summary>
internal static class KdumpListener
{
    /// <summary>The fence_kdump message: magic 0x1B302A40 and version 1, little-endian.</summary>
    public const string MessageHex = "402a301b01000000";

    private const string Script = """
        import socket, sys, time
        wanted = set(sys.argv[2:])
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("0.0.0.0", 7410))
        end = time.monotonic() + float(sys.argv[1])
        seen_from = set()
        while True:
            left = end - time.monotonic()
            if left <= 0 or (wanted and wanted <= seen_from):
                break
            s.settimeout(left)
            try:
                data, (address, _) = s.recvfrom(64)
            except socket.timeout:
                break
            seen_from.add(address)
            print(address, data.hex(), flush=True)
        """;

    /// <summary>
    /// Listens for up to <paramref name="window"/>; returns early once a datagram from each of
    /// <paramref name="stopAfterSourcesSeen"/> arrived. One line per datagram: "SOURCE HEX".
    /// </summary>
    public static async Task<IReadOnlyList<string>> ListenAsync(
        LabController lab, string node, TimeSpan window, CancellationToken ct, params string[] stopAfterSourcesSeen)
    {
        var result = await lab.ExecCaptureAsync(node,
            ["/usr/bin/python3", "-c", Script, window.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), .. stopAfterSourcesSeen],
            window + TimeSpan.FromSeconds(10), ct);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"the listener in {node} failed: {result.Stderr}");
        }

        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
