using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        var answer = await CurlAsync(node, LabBmcAccess.RedfishSystemPath, [], ct);
        if (answer is not (200, var body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
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

    /// <summary>
    /// Has the node's Redfish BMC emit an event (EventService.SubmitTestEvent), as if its hardware had reported it:
    /// it goes to the BMC's subscribers and SSE clients like any other.
    /// </summary>
    public async Task SubmitEventAsync(LabNode node, EventMessage message, CancellationToken ct)
    {
        var body = new JsonObject
        {
            ["MessageId"] = message.MessageId,
            ["MessageArgs"] = new JsonArray([.. message.MessageArgs.Select(a => (JsonNode?)a)]),
            ["MessageSeverity"] = message.Severity,
            ["Message"] = message.Message,
            ["OriginOfCondition"] = message.OriginOfCondition,
        };
        var answer = await CurlAsync(node, RedfishEvents.SubmitTestEvent,
            ["--header", "Content-Type: application/json", "--data-binary", body.ToJsonString()], ct);
        if (answer is not (204, _))
        {
            throw new LabException(answer is { } refused
                ? $"the Redfish BMC of {node.Name} refused the event {message.MessageId}: HTTP {refused.Status} {refused.Body.Trim()}"
                : $"the Redfish BMC of {node.Name} at {node.BmcAddress} does not answer");
        }
    }

    /// <summary>The HTTP status and body of a request to the node's BMC from pal-sw; null when there is no answer.</summary>
    private async Task<(int Status, string Body)?> CurlAsync(LabNode node, string path, IReadOnlyList<string> request, CancellationToken ct)
    {
        var password = (await File.ReadAllTextAsync(paths.BmcPassword, ct)).Trim();
        var url = $"https://{node.BmcAddress}:{LabBmcAccess.RedfishPort.ToString(CultureInfo.InvariantCulture)}{path}";

        // The credentials go to curl as a config file on stdin: never on a command line.
        var config = $"user = \"{LabBmcAccess.User}:{CurlQuote(password)}\"\n";
        ExecResult result;
        try
        {
            result = await runner.RunAsync("ip",
            [
                "netns", "exec", LabTopology.SwitchNamespace,
                "curl", "--silent", "--max-time", "5", "--cacert", paths.CaCertificate, "--config", "-",
                "--write-out", "\\n%{http_code}", .. request, url,
            ], CurlTimeout, ct, config);
        }
        catch (TimeoutException)
        {
            return null;
        }

        var split = result.Stdout.LastIndexOf('\n');
        return result.ExitCode == 0 && split >= 0
            && int.TryParse(result.Stdout[(split + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var status)
            && status > 0
                ? (status, result.Stdout[..split])
                : null;
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
