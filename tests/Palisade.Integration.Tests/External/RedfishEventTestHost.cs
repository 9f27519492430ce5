using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Palisade.Lab.Redfish;

namespace Palisade.Integration.Tests.External;

/// <summary>
/// Two lab Redfish BMCs (n1 on 127.0.0.1, n2 on 127.0.0.2) served in-process over plain HTTP, their event service
/// pushing to receivers whose certificates come from a CA made here, and a ledger in a temporary directory.
/// </summary>
internal sealed class RedfishEventTestHost : IAsyncDisposable
{
    public const string Password = "test-bmc-password";

    private readonly WebApplication app;
    private readonly CancellationTokenSource stop = new();
    private readonly Task follower;
    private readonly string directory;

    private RedfishEventTestHost(WebApplication app, RedfishEventHub events, TestCa ca, string directory, CapturingLogger logger)
    {
        this.app = app;
        Events = events;
        Ca = ca;
        this.directory = directory;
        Logger = logger;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        Bmcs["n1"] = new Uri(addresses.Single(a => a.Contains("127.0.0.1", StringComparison.Ordinal)));
        Bmcs["n2"] = new Uri(addresses.Single(a => a.Contains("127.0.0.2", StringComparison.Ordinal)));
        follower = new LedgerFollower(Ledger, TimeProvider.System, logger).RunAsync(events.Emit, stop.Token);
    }

    public RedfishEventHub Events { get; }

    public TestCa Ca { get; }

    public CapturingLogger Logger { get; }

    public string Ledger => Path.Combine(directory, "ledger");

    public Dictionary<string, Uri> Bmcs { get; } = [];

    /// <param name="ledgerBefore">Ledger content that exists before the BMCs start (and must not make events).</param>
    public static async Task<RedfishEventTestHost> StartAsync(string ledgerBefore = "")
    {
        var directory = Directory.CreateTempSubdirectory("palisade-redfish-events-").FullName;
        File.WriteAllText(Path.Combine(directory, "ledger"), ledgerBefore);
        var logger = new CapturingLogger();
        var ca = new TestCa();
        var nodes = new Dictionary<IPAddress, string> { [IPAddress.Parse("127.0.0.1")] = "n1", [IPAddress.Parse("127.0.0.2")] = "n2" };
        var events = new RedfishEventHub(nodes.Values, [ca.Certificate], TimeProvider.System, logger);
        var service = new RedfishService(nodes, Password, new AlwaysOnPower(), events, TimeProvider.System, logger);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            foreach (var address in nodes.Keys)
            {
                kestrel.Listen(address, 0);
            }
        });
        var app = builder.Build();
        ((IApplicationBuilder)app).Run(service.HandleAsync);
        await app.StartAsync();

        return new RedfishEventTestHost(app, events, ca, directory, logger);
    }

    public HttpClient Client(string node, bool authenticated = true)
    {
        var client = new HttpClient { BaseAddress = Bmcs[node], Timeout = TimeSpan.FromSeconds(30) };
        if (authenticated)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(
                "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Password}")));
        }

        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await follower;
        Events.Stop();
        await app.StopAsync();
        await app.DisposeAsync();
        await Events.DisposeAsync();
        Ca.Dispose();
        stop.Dispose();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>The BMCs' power is not what these tests are about: every node is on, and nothing switches it.</summary>
internal sealed class AlwaysOnPower : IPowerSwitch
{
    public Task<bool> IsOnAsync(string node, CancellationToken ct) => Task.FromResult(true);

    public Task SetAsync(string node, PowerChange change, CancellationToken ct) => Task.CompletedTask;
}

/// <summary>Keeps every formatted log line, so that tests can look for what must (and must not) be logged.</summary>
internal sealed class CapturingLogger : ILogger
{
    private readonly ConcurrentQueue<string> lines = new();

    public IReadOnlyList<string> Lines => [.. lines];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        lines.Enqueue(formatter(state, exception));
}
