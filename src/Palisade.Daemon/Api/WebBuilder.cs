using Microsoft.AspNetCore.Builder;

namespace Palisade.Daemon.Api;

/// <summary>
/// The builder of palisaded's HTTP endpoints (the API and the intake): slim, with no configuration file watched.
/// palisaded runs in <c>/</c> (systemd, the lab): a builder left to its defaults takes that as its content root and
/// watches it, every directory under it included, for changes of <c>appsettings.json</c>, which palisaded does not
/// use; that costs seconds at start and megabytes of memory for as long as it runs.
/// </summary>
internal static class WebBuilder
{
    public static WebApplicationBuilder Create() => WebApplication.CreateSlimBuilder(new WebApplicationOptions
    {
        ContentRootPath = AppContext.BaseDirectory,
        Args = ["--hostBuilder:reloadConfigOnChange=false"],
    });
}
