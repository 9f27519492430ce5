using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging.Abstractions;
using Palisade.Core.Configuration;
using Palisade.Core.Control;
using Palisade.Daemon.Api;
using Xunit;

namespace Palisade.Daemon.Tests;

/// <summary>The checked-in OpenAPI document names exactly the endpoints palisaded maps, with their methods.</summary>
public sealed class OpenApiDocumentTests
{
    [Fact]
    public async Task Every_mapped_endpoint_is_in_the_document_and_every_documented_one_is_mapped()
    {
        var authority = new ApiAuthority(new ApiConfig { Tokens = [] }, TimeProvider.System, out _);
        var backend = new ApiBackend(_ => Task.FromResult(new ControlResponse(false)), new EventFeed(), () => null, new FenceMetrics(), new IncidentTracker());
        await using var app = ApiServer.Build(IPAddress.Loopback, 0, null, authority, backend, NullLogger.Instance);

        var mapped = ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && !raw.Contains("*", StringComparison.Ordinal)) // the fallback
            .SelectMany(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()!.HttpMethods
                .Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal).ToList();
        using var document = JsonDocument.Parse(OpenApiDocument.Text);
        var documented = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}"))
            .Order(StringComparer.Ordinal).ToList();

        Assert.Equal(documented, mapped);
        Assert.Equal("3.1.0", document.RootElement.GetProperty("openapi").GetString());
    }

    [Fact]
    public void The_served_document_is_the_checked_in_one()
    {
        var checkedIn = File.ReadAllText(Path.Combine(RepoRoot.Path, "docs", "openapi.json"));
        Assert.Equal(checkedIn, OpenApiDocument.Text);
    }
}
