using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// The lab's side of the Redfish BMCs: starts the one server process in pal-bmc and asks it, like a client
/// on the admin LAN would, with curl in pal-sw, verifying the BMC certificate against the lab CA.
/// </summary>
internal sealed class LabRedfish(ProcessRunner runner, LabPaths paths, LabHelper helper, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan CurlTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(30);

    /// <summary>Starts the server detached in pal-bmc; <see cref="WaitUntilAnsweringAsync"/> waits for it.</summary>
    public Task StartAsync(CancellationToken ct) =>
        helper.StartDetachedAsync("the Redfish BMCs", LabTopology.BmcNamespace, paths.RedfishLog, append: true,
            ["redfish-bmc", "--state", paths.Root], ct);

    public async Task WaitUntilAnsweringAsync(IReadOnlyList<LabNode> nodes, CancellationToken ct)
    {
        try
        {
            await Poll.UntilAsync(time, StartLimit, TimeSpan.FromMilliseconds(100), "every Redfish BMC to answer",
                async c =>
                {
                    var answers = await Task.WhenAll(nodes.Select(n => PowerStateAsync(n, c)));
                    var silent = nodes.Where((_, i) => answers[i] is null).Select(n => n.Name).ToList();
                    return silent.Count == 0 ? null : "no answer yet for " + string.Join(", ", silent);
                }, ct);
        }
        catch (LabException e)
        {
            throw new LabException($"{e.Message}; {paths.RedfishLog} ends with:\n{Tail(paths.RedfishLog)}", e);
        }

        Log.RedfishStarted(logger, nodes.Count);
    }

    /// <summary>"on"/"off" as the node's Redfish BMC reports it, or null if it does not answer as it should.</summary>
    public async Task<string?> PowerStateAsync(LabNode node, CancellationToken ct)
    {
        var password = (await File.ReadAllTextAsync(paths.BmcPassword, ct)).Trim();
        var url = $"https://{node.BmcAddress}:{LabBmcAccess.RedfishPort.ToString(CultureInfo.InvariantCulture)}{LabBmcAccess.RedfishSystemPath}";

        // The credentials go to curl as a config file on stdin: never on a command line.
        var config = $"user = \"{LabBmcAccess.User}:{CurlQuote(password)}\"\n";
        ExecResult result;
        try
        {
            result = await runner.RunAsync("ip",
            [
                "netns", "exec", LabTopology.SwitchNamespace,
                "curl", "--silent", "--max-time", "5", "--cacert", paths.CaCertificate, "--config", "-",
                "--write-out", "\\n%{http_code}", url,
            ], CurlTimeout, ct, config);
        }
        catch (TimeoutException)
        {
            return null;
        }

        var split = result.Stdout.LastIndexOf('\n');
        if (result.ExitCode != 0 || split < 0 || result.Stdout[(split + 1)..].Trim() != "200")
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(result.Stdout[..split]);
            return doc.RootElement.TryGetProperty("PowerState", out var state) ? state.GetString() switch
            {
                "On" => "on",
                "Off" => "off",
                _ => null,
            } : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string CurlQuote(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static string Tail(string path, int lines = 10)
    {
        try
        {
            var all = File.ReadAllLines(path);
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
