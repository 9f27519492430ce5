using System.Globalization;
using Palisade.Lab;

namespace Palisade.Scenarios;

/// <summary>
/// The demo: a 3-node lab with a floating IP and a web service, a client polling it from outside, then the node serving
/// it is powered off through its BMC while the steps are narrated with timestamps.
/// </summary>
public sealed class DemoRunner(LabController lab, TextWriter output)
{
    public const string DefaultConfig = "/opt/palisade/share/examples/demo.yaml";
    private const string Group = "web";
    private const string ServiceAddress = "198.18.0.100";
    private const int ServicePort = 8080;
    private const string ServiceInterface = "ic0";
    private const string NicMonitor = "nic-ic0";

    public async Task<int> RunAsync(string configPath, bool keep, CancellationToken ct)
    {
        var probe = new ClusterProbe(lab);
        output.WriteLine("== Palisade demo: 3 nodes, group 'web' = floating IP 198.18.0.100 (IPaddr2) + a web service");
        await lab.DownAsync(ct).ConfigureAwait(false);
        if (File.Exists(lab.LedgerPath))
        {
            File.Delete(lab.LedgerPath);
        }

        try
        {
            var (effective, withNicMonitor) = WithNicMonitor(configPath);
            LabStatus status;
            try
            {
                status = await lab.UpAsync(null, effective, ct).ConfigureAwait(false);
            }
            finally
            {
                if (effective != configPath)
                {
                    File.Delete(effective); // the lab keeps its own copy
                }
            }

            var nodes = status.Nodes.Select(n => n.Name).ToList();
            output.WriteLine($"lab is up: {string.Join(", ", status.Nodes.Select(n => $"{n.Name} ({n.Interconnect}, BMC {n.Bmc})"))}");
            var ready = await probe.WaitAsync(nodes[0], s => ClusterProbe.GroupOnline(s, Group), TimeSpan.FromSeconds(60), "group web Online", ct).ConfigureAwait(false);
            output.WriteLine($"group {Group} is Online on {ClusterProbe.Group(ready, Group)!.Node}; a client outside the cluster polls http://{ServiceAddress}:{ServicePort}/ every 50 ms");
            await using var client = ServicePoller.Start(ServiceAddress, ServicePort, TimeSpan.FromMinutes(3));
            await WaitForAnswerAsync(client, ct).ConfigureAwait(false);
            output.WriteLine();
            var phases = await new FailoverScenario(lab, probe, output).PowerOffOwnerAsync(Group, nodes, client, ct).ConfigureAwait(false);
            output.WriteLine();
            PrintSummary(phases);
            NicErrorPhases? nic = null;
            if (withNicMonitor)
            {
                output.WriteLine();
                output.WriteLine($"== Second act: a NIC error message for the interface {ServiceInterface} of the node serving {Group}");
                nic = await new NicErrorScenario(lab, probe, output).ReportOwnerNicAsync(Group, ServiceInterface, nodes, client, ct).ConfigureAwait(false);
                output.WriteLine();
                PrintNicSummary(nic);
                output.WriteLine();
                output.WriteLine($"client-observed downtime: {Seconds(phases.ClientDowntime)} when {phases.Lost} lost its power, {Seconds(nic.ClientDowntime)} when {nic.From} reported its NIC down");
            }

            var overlaps = Ledger.Overlaps(Ledger.Activities(Ledger.Read(lab.LedgerPath)));
            output.WriteLine(overlaps.Count == 0
                ? "ledger audit: the service never ran on two nodes at once"
                : "ledger audit FAILED:\n  " + string.Join("\n  ", overlaps));
            if (keep)
            {
                output.WriteLine("\nThe lab stays up: try 'palisade lab status', 'palisade lab exec n2 -- palisade status', then 'palisade lab down'.");
            }

            return overlaps.Count == 0 ? 0 : 1;
        }
        finally
        {
            if (!keep)
            {
                await lab.DownAsync(CancellationToken.None).ConfigureAwait(false);
                output.WriteLine("lab is down (run 'palisade demo --keep' to keep it for exploring)");
            }
        }
    }

    private static async Task WaitForAnswerAsync(ServicePoller client, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!client.Polls.Any(p => p.Node is not null))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the client got no answer from http://{ServiceAddress}:{ServicePort}/ within 20 s");
            }

            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The demo's cluster file with an external monitor for the service's interface added (the second act needs it),
    /// unless the file declares monitors itself; then the second act runs only if it has that monitor.
    /// </summary>
    private static (string Path, bool WithNicMonitor) WithNicMonitor(string configPath)
    {
        var text = File.ReadAllText(configPath);
        var loaded = Configuration.ConfigLoader.Parse(text, configPath);
        if (loaded.Config is not { } config || config.FindGroup(Group) is null)
        {
            return (configPath, false);
        }

        if (!config.Monitors.IsDefaultOrEmpty)
        {
            return (configPath, config.FindMonitor(NicMonitor) is { Kind: Core.Configuration.MonitorKind.External });
        }

        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"palisade-demo-{Environment.ProcessId}.yaml");
        File.WriteAllText(path, text.TrimEnd() + $$$"""

            # Added by the demo: the server-management layer's NIC messages for {{{ServiceInterface}}} move {{{Group}}} at once.
            monitors:
              - {name: {{{NicMonitor}}}, type: external, target: {{{Group}}}, category: NIC, keyword: {{{ServiceInterface}}}, recovery: {restart_limit: 0, failover_limit: 1}}

            """);
        return (path, true);
    }

    private static string Seconds(double ms) => ms < 0 ? "n/a" : (ms / 1000).ToString("F3", CultureInfo.InvariantCulture) + " s";

    private void PrintNicSummary(NicErrorPhases p)
    {
        output.WriteLine($"Failover of {Group} from {p.From} to {p.To} on a NIC error message:");
        output.WriteLine($"  message to recovery order {Seconds(p.Reaction)}");
        output.WriteLine($"  message to Online         {Seconds(p.EndToEnd)}");
        output.WriteLine($"  client-observed downtime  {Seconds(p.ClientDowntime)}");
    }

    private void PrintSummary(FailoverPhases p)
    {
        string Ms(double v) => v < 0 ? "n/a" : (v / 1000).ToString("F3", CultureInfo.InvariantCulture) + " s";
        output.WriteLine($"Failover of {Group} from {p.Lost} to {p.NewOwner}:");
        output.WriteLine($"  corosync detection        {Ms(p.Detection)}");
        output.WriteLine($"  fencing (IPMI power off)  {Ms(p.FenceAgent)}");
        output.WriteLine($"  resource start            {Ms(p.ResourceStart)}");
        output.WriteLine($"  Palisade's own overhead   {Ms(p.Overhead)}");
        output.WriteLine($"  power-off to Online       {Ms(p.EndToEnd)}");
        output.WriteLine($"  client-observed downtime  {Ms(p.ClientDowntime)}");
    }
}
