using System.Net.Http.Headers;
using Xunit;

namespace Palisade.Integration.Tests.External;

/// <summary>An open SSE stream of a lab BMC, read event by event (comment lines skipped).</summary>
internal sealed class SseStream : IAsyncDisposable
{
    private readonly HttpResponseMessage response;
    private readonly StreamReader reader;

    private SseStream(HttpResponseMessage response, StreamReader reader)
    {
        this.response = response;
        this.reader = reader;
    }

    public string ContentType => response.Content.Headers.ContentType?.MediaType ?? "";

    public static async Task<SseStream> OpenAsync(HttpClient client, string? lastEventId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/redfish/v1/EventService/SSE");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is not null)
        {
            request.Headers.Add("Last-Event-ID", lastEventId);
        }

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.True(response.IsSuccessStatusCode, $"SSE answered {(int)response.StatusCode}");
        return new SseStream(response, new StreamReader(await response.Content.ReadAsStreamAsync(ct)));
    }

    /// <summary>The next event's id and data line.</summary>
    public async Task<(string Id, string Data)> NextAsync(CancellationToken ct)
    {
        string? id = null;
        string? data = null;
        while (true)
        {
            var line = await reader.ReadLineAsync(ct) ?? throw new EndOfStreamException("the SSE stream ended");
            if (line.Length == 0)
            {
                if (data is not null)
                {
                    return (id ?? "", data);
                }

                continue;
            }

            if (line.StartsWith("id: ", StringComparison.Ordinal))
            {
                id = line[4..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.Null(data);
                data = line[6..];
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
