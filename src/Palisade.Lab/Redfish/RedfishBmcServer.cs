using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab.Redfish;

/// <summary>
/// <c>palisade lab redfish-bmc --state DIR</c>: one HTTPS server, run by the lab inside pal-bmc, that is the
/// Redfish BMC of every node: it listens on each node's BMC address with that BMC's certificate.
/// Runs until cancelled (SIGTERM) or killed with the namespace.
/// </summary>
internal static class RedfishBmcServer
{
    public static async Task RunAsync(string stateRoot, TextWriter log, CancellationToken ct)
    {
        var paths = new LabPaths(stateRoot);
        var state = new LabFiles(paths).TryReadState()
            ?? throw new LabException($"no lab state in {paths.Root}: the Redfish BMC serves a running lab only");
        var password = (await File.ReadAllTextAsync(paths.BmcPassword, ct)).Trim();
        var nodes = state.Nodes.Select(n => n.ToNode()).ToList();

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging
            .AddFilter("Microsoft", LogLevel.Warning)
            .AddProvider(new TextWriterLoggerProvider(log, LogLevel.Information, TimeProvider.System));
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            foreach (var node in nodes)
            {
                var certificate = X509Certificate2.CreateFromPemFile(paths.RedfishCertificate(node.Name), paths.RedfishKey(node.Name));
                kestrel.Listen(IPAddress.Parse(node.BmcAddress), LabBmcAccess.RedfishPort, listen => listen.UseHttps(certificate));
            }
        });

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Palisade.Lab.Redfish");
        var runner = new ProcessRunner(TimeProvider.System);
        var faults = new LabFaults(paths, new LabNetwork(runner, TimeProvider.System, logger), new LabHelper(runner, null), runner, TimeProvider.System, logger);
        Task Panic(string node, CancellationToken c) => faults.PanicAsync(nodes.Single(n => n.Name == node), nodes, LabController.DefaultKdumpInterval, c);
        // Event receivers (nodes' intakes) carry certificates of the lab CA too: pushes verify them against it.
        var labCa = new X509Certificate2Collection();
        labCa.ImportFromPemFile(paths.CaCertificate);
        await using var events = new RedfishEventHub(nodes.Select(n => n.Name), labCa, TimeProvider.System, logger);
        var service = new RedfishService(
            nodes.ToDictionary(n => IPAddress.Parse(n.BmcAddress), n => n.Name),
            password,
            new PowerScriptSwitch(runner, paths.PowerScript, Panic),
            events,
            TimeProvider.System,
            logger);
        ((IApplicationBuilder)app).Run(service.HandleAsync);

        await app.StartAsync(ct);
        Log.RedfishListening(logger, nodes.Count, string.Join(", ", nodes.Select(n => $"{n.Name} {n.BmcAddress}:{LabBmcAccess.RedfishPort}")));
        var ledger = new LedgerFollower(paths.Ledger, TimeProvider.System, logger).RunAsync(events.Emit, ct);
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM: stop listening and finish the requests in flight.
        }

        await ledger;
        events.Stop();
        await app.StopAsync(CancellationToken.None);
    }
}
