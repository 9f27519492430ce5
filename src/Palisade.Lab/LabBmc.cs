using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Palisade.Lab;

/// <summary>
/// One ipmi_sim per node in pal-bmc, listening on the node's BMC address. Its chassis control is the
/// lab's power script, so IPMI power off/on really kills/boots the node.
/// </summary>
internal sealed class LabBmc(ProcessRunner runner, LabPaths paths, TimeProvider time, ILogger logger)
{
    private static readonly TimeSpan IpmitoolTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(15);

    public void WriteConfig(LabNode node, string password)
    {
        var dir = paths.BmcDir(node.Name);
        Directory.CreateDirectory(Path.Combine(dir, "sim"));
        File.WriteAllText(Path.Combine(dir, "lan.conf"), LanConf(node, password));
        File.WriteAllText(Path.Combine(dir, "bmc.emu"), Emulation());
        LabFiles.Restrict(Path.Combine(dir, "lan.conf"));
    }

    /// <summary>Starts the node's ipmi_sim detached (it outlives the caller) and waits until it answers over IPMI.</summary>
    public async Task StartAsync(LabNode node, CancellationToken ct)
    {
        var dir = paths.BmcDir(node.Name);
        await runner.RunCheckedAsync($"starting the BMC of {node.Name}", "bash",
        [
            "-c", "setsid -f \"$@\" </dev/null >>\"$0\" 2>&1", paths.BmcLog(node.Name),
            "ip", "netns", "exec", LabTopology.BmcNamespace,
            "ipmi_sim", "-n", "-c", Path.Combine(dir, "lan.conf"), "-f", Path.Combine(dir, "bmc.emu"),
            "-s", Path.Combine(dir, "sim"),
        ], IpmitoolTimeout, ct);

        await Poll.UntilAsync(time, StartLimit, TimeSpan.FromMilliseconds(50), $"the BMC of {node.Name} to answer",
            async c => (await PowerStatusAsync(node, c)) is null ? "no IPMI answer yet" : null, ct);
        Log.BmcStarted(logger, node.Name, node.BmcAddress);
    }

    /// <summary>"on"/"off" as the BMC reports it, or null if it does not answer.</summary>
    public async Task<string?> PowerStatusAsync(LabNode node, CancellationToken ct)
    {
        var result = await IpmitoolAsync(node, ["chassis", "power", "status"], ct);
        if (result.ExitCode != 0)
        {
            return null;
        }

        var text = result.Stdout.Trim();
        return text.EndsWith(" on", StringComparison.Ordinal) ? "on"
            : text.EndsWith(" off", StringComparison.Ordinal) ? "off"
            : null;
    }

    /// <summary>Sends a chassis power command ("on", "off", "reset") to the node's BMC.</summary>
    public async Task PowerAsync(LabNode node, string command, CancellationToken ct)
    {
        var result = await IpmitoolAsync(node, ["chassis", "power", command], ct);
        if (result.ExitCode != 0)
        {
            throw new LabException(
                $"BMC of {node.Name} ({node.BmcAddress}) refused 'power {command}': {(result.Stderr + result.Stdout).Trim()}");
        }
    }

    private Task<ExecResult> IpmitoolAsync(LabNode node, IReadOnlyList<string> command, CancellationToken ct) =>
        runner.RunAsync("ip",
        [
            "netns", "exec", LabTopology.SwitchNamespace,
            "ipmitool", "-I", "lanplus", "-C", LabBmcAccess.IpmiCipher, "-N", "1", "-R", "3",
            "-H", node.BmcAddress, "-p", LabBmcAccess.IpmiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", LabBmcAccess.User, "-f", paths.BmcPassword, .. command,
        ], IpmitoolTimeout, ct);

    private string LanConf(LabNode node, string password)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Simulated BMC of lab node {node.Name}");
        sb.AppendLine($"name \"{node.Name}\"");
        sb.AppendLine("set_working_mc 0x20");
        sb.AppendLine("  startlan 1");
        sb.AppendLine($"    addr {node.BmcAddress} {LabBmcAccess.IpmiPort}");
        sb.AppendLine("    priv_limit admin");
        foreach (var level in new[] { "callback", "user", "operator", "admin" })
        {
            sb.AppendLine($"    allowed_auths_{level} none md2 md5 straight");
        }

        sb.AppendLine($"    guid {RandomNumberGenerator.GetHexString(32, lowercase: true)}");
        sb.AppendLine("  endlan");
        sb.AppendLine($"  chassis_control \"{paths.PowerScript} {node.Name}\"");
        sb.AppendLine($"user 2 true \"{LabBmcAccess.User}\" \"{password}\" admin 10 none md2 md5 straight");
        return sb.ToString();
    }

    private static string Emulation() =>
        """
        mc_setbmc 0x20
        mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr
        sel_enable 0x20 1000 0x0a
        mc_enable 0x20

        """;
}
