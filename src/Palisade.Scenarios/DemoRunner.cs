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
            var status = await lab.UpAsync(null, configPath, ct).ConfigureAwait(false);
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
