using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Palisade.Daemon.Api;

/// <summary>
/// The web view: one page (Web/index.html, built into palisaded) served at <c>GET /</c> without a token. It asks for
/// an API token, then shows the cluster as the answering node sees it from the API, kept live by the event stream.
/// </summary>
internal static class WebView
{
    private static readonly string Page = Load();

    public static void Map(WebApplication app) => app.MapGet("/", async context =>
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";
        await context.Response.WriteAsync(Page);
    });

    private static string Load()
    {
        using var stream = typeof(WebView).Assembly.GetManifestResourceStream("index.html")
            ?? throw new InvalidOperationException("palisaded was built without its web view");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
