using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Palisade.Bench;

/// <summary>
/// The web view's first paint, inside a lab node (where the API listens on loopback): N times, a new headless Chromium
/// (new profile, so nothing cached) opens the view with the node's token, driven over the DevTools protocol; once the
/// page says it has shown the cluster, the page's own timeline is read: first contentful paint and the
/// <c>palisade-cluster-shown</c> mark (every table filled from the API), both from the navigation's start.
/// One JSON line per run.
/// </summary>
internal static class WebPaintWorker
{
    public const string Command = "web-paint-worker";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = Array.IndexOf(args, "--runs") is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 5;
        var url = File.ReadAllText("/etc/palisade/api.url").Trim();
        var token = File.ReadAllText("/etc/palisade/api.token").Trim();
        var page = $"{url}/#token={Uri.EscapeDataString(token)}&live=0";
        for (var run = 0; run < runs; run++)
        {
            Console.WriteLine(JsonSerializer.Serialize(await OnceAsync(page)));
        }

        return 0;
    }

    private static async Task<Dictionary<string, double>> OnceAsync(string page)
    {
        var profile = Directory.CreateTempSubdirectory("palisade-paint-");
        using var chromium = Process.Start(new ProcessStartInfo("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", $"--user-data-dir={profile.FullName}", "--remote-debugging-port=0", "--window-size=1400,1000", "about:blank"])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        }) ?? throw new InvalidOperationException("chromium did not start");
        try
        {
            using var cts = new CancellationTokenSource(Deadline);
            var browser = await DevToolsAddressAsync(chromium, cts.Token);
            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync(new Uri(new Uri(browser.Replace("ws://", "http://", StringComparison.Ordinal)), "/json/list"), cts.Token))!.AsArray();
            var pageTarget = targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            using var ws = new ClientWebSocket();
            await ws.ConnectAsync(new Uri(pageTarget), cts.Token);
            var devtools = new DevTools(ws);
            await devtools.CallAsync("Page.navigate", new JsonObject { ["url"] = page }, cts.Token);
            // Loaded, and painted: the paint entry comes when the browser has painted, which may follow the mark.
            const string Ready = "document.readyState === 'complete' && document.body.dataset.loaded === 'yes' "
                + "&& performance.getEntriesByName('first-contentful-paint').length > 0 && performance.getEntriesByName('palisade-cluster-shown').length > 0";
            while ((await devtools.EvaluateAsync(Ready, cts.Token)) is not "true")
            {
                await Task.Delay(20, cts.Token);
            }

            var timeline = await devtools.EvaluateAsync(
                "JSON.stringify({fcp: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime, " +
                "shown: (performance.getEntriesByName('palisade-cluster-shown')[0] || {}).startTime})", cts.Token);
            var figures = JsonNode.Parse(timeline!)!.AsObject();
            return new Dictionary<string, double>
            {
                ["fcp_ms"] = figures["fcp"]?.GetValue<double>() ?? double.NaN,
                ["shown_ms"] = figures["shown"]?.GetValue<double>() ?? double.NaN,
            };
        }
        finally
        {
            chromium.Kill(entireProcessTree: true);
            await chromium.WaitForExitAsync();
            profile.Delete(recursive: true);
        }
    }

    /// <summary>Chromium prints where its DevTools listen on stderr (<c>DevTools listening on ws://...</c>).</summary>
    private static async Task<string> DevToolsAddressAsync(Process chromium, CancellationToken ct)
    {
        while (await chromium.StandardError.ReadLineAsync(ct) is { } line)
        {
            if (line.IndexOf("ws://", StringComparison.Ordinal) is var at and >= 0)
            {
                return line[at..].Trim();
            }
        }

        throw new InvalidOperationException($"chromium exited ({chromium.ExitCode}) without its DevTools address");
    }

    /// <summary>The few DevTools protocol calls the measurement needs: one request at a time, answers matched by id.</summary>
    private sealed class DevTools(ClientWebSocket ws)
    {
        private int _next;

        public async Task<JsonNode?> CallAsync(string method, JsonObject parameters, CancellationToken ct)
        {
            var id = ++_next;
            var request = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
            await ws.SendAsync(Encoding.UTF8.GetBytes(request.ToJsonString()), WebSocketMessageType.Text, true, ct);
            while (true)
            {
                var message = JsonNode.Parse(await ReceiveAsync(ct))!;
                if ((int?)message["id"] != id)
                {
                    continue; // an event, or the answer to nothing we wait for
                }

                return message["error"] is { } error ? throw new InvalidOperationException($"{method}: {error.ToJsonString()}") : message["result"];
            }
        }

        public async Task<string?> EvaluateAsync(string expression, CancellationToken ct)
        {
            var result = await CallAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, ct);
            var value = result?["result"]?["value"];
            return value is null ? null : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        }

        private async Task<string> ReceiveAsync(CancellationToken ct)
        {
            var buffer = new byte[1 << 16];
            using var text = new MemoryStream();
            while (true)
            {
                var part = await ws.ReceiveAsync(buffer, ct);
                if (part.MessageType == WebSocketMessageType.Close)
                {
                    throw new InvalidOperationException("chromium closed the DevTools connection");
                }

                text.Write(buffer, 0, part.Count);
                if (part.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(text.ToArray());
                }
            }
        }
    }
}
