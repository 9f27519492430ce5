namespace Palisade.Daemon.Api;

/// <summary>The API's OpenAPI document: docs/openapi.json, built into palisaded and served at <c>GET /api/v1/openapi.json</c>.</summary>
internal static class OpenApiDocument
{
    public static string Text { get; } = Load();

    private static string Load()
    {
        using var stream = typeof(OpenApiDocument).Assembly.GetManifestResourceStream("openapi.json")
            ?? throw new InvalidOperationException("palisaded was built without its OpenAPI document");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
