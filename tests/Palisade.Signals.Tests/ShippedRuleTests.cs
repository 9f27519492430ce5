using Palisade.Core.Messages;
using Xunit;

namespace Palisade.Signals.Tests;

/// <summary>The shipped rule files against recorded lines in the real kernel formats.</summary>
public sealed class ShippedRuleTests
{
    private const string Node = "n1";
    private static readonly RuleSet Shipped = ShippedRules.Load();

    private const NoticeSeverity E = NoticeSeverity.Error;
    private const NoticeSeverity W = NoticeSeverity.Warning;
    private const NoticeSeverity C = NoticeSeverity.Clear;

    /// <summary>What each record of recorded/kernel.log makes, in order (null: none, a counted rule still counting).</summary>
    private static readonly (string Rule, string Category, string Keyword, NoticeSeverity Severity)?[] Expected =
    [
        ("e1000e-link-down", "NIC", "eth0", E),
        ("e1000e-link-up", "NIC", "eth0", C),
        ("e1000e-link-down", "NIC", "enp0s31f6", E),
        ("igb-link-down", "NIC", "eth2", E),
        ("igb-link-up", "NIC", "eth2", C),
        ("igb-link-up", "NIC", "eth1", C),
        ("ixgbe-link-down", "NIC", "enp1s0f1", E),
        ("ixgbe-link-up", "NIC", "enp1s0f1", C),
        ("i40e-link-down", "NIC", "ens1f0", E),
        ("i40e-link-up", "NIC", "ens1f0", C),
        ("nic-link-down", "NIC", "enp3s0", E),
        ("nic-link-up", "NIC", "enp3s0", C),
        ("nic-link-down", "NIC", "ens2f0np0", E),
        ("mlx5-link-down", "NIC", "eth1", E),
        ("mlx5-link-up", "NIC", "eth1", C),
        ("bonding-slave-link-down", "NIC", "eth1", E),
        ("bonding-slave-link-up", "NIC", "eth1", C),
        ("bonding-slave-link-down", "NIC", "eth3", E),
        ("bonding-no-active-interface", "NIC", "bond0", E),
        ("bonding-slave-link-up", "NIC", "eth3", C),
        ("bonding-active-interface-up", "NIC", "bond0", C),
        ("link-down", "NIC", "eth2", E),
        ("link-up", "NIC", "enp3s0", C),
        ("qla2xxx-loop-down", "FC", "0000:83:00.1", E),
        ("qla2xxx-loop-up", "FC", "0000:83:00.1", C),
        ("lpfc-link-down", "FC", "0000:07:00.1", E),
        ("lpfc-link-up", "FC", "0000:07:00.1", C),
        ("fc-remote-port-lost", "FC", "rport-7:0-2", E),
        ("dm-multipath-failing-path", "FC", "8:32", W),
        ("dm-multipath-failing-path", "FC", "8:48", W),
        ("multipathd-checker-failed-path", "FC", "8:32", W),
        ("multipath-no-active-paths", "FC", "mpatha", E),
        ("dm-multipath-reinstating-path", "FC", "8:32", C),
        ("multipathd-path-reinstated", "FC", "8:32", C),
        ("multipath-active-paths-back", "FC", "mpatha", C),
        null,
        null,
        ("block-io-error", "HA/SS", "sdb", E),
        null,
        null,
        ("buffer-io-error", "HA/SS", "sdb1", E),
        ("mce-events-logged", "HA/RS", "mce", W),
        ("mce-machine-check-exception", "HA/RS", "cpu2", E),
        ("mce-fatal", "HA/RS", "mce", E),
        ("mce-panic", "HA/RS", "mce", E),
        ("apei-fatal-error", "HA/RS", "apei", E),
        ("edac-uncorrected-error", "HA/RS", "MC0", E),
        ("aer-fatal-error", "HA/RS", "0000:01:00.0", E),
        ("aer-fatal-error", "HA/RS", "0000:03:00.0", E),
        ("aer-nonfatal-error", "HA/RS", "0000:73:00.1", W),
    ];

    private static List<(KernelLogLine Line, IReadOnlyList<ExternalNotice> Notices)> ReplayKernelLog()
    {
        var matcher = new LogRuleMatcher(Shipped);
        var lines = KernelLogLine.ParseAll(Recorded.Lines("kernel.log")).ToList();
        return [.. lines.Select((line, i) => (line, matcher.Match(line, Recorded.T0.AddSeconds(i), Node)))];
    }

    [Fact]
    public void The_shipped_files_load_without_errors_and_use_built_in_categories()
    {
        Assert.Empty(Shipped.Errors);
        Assert.Equal(["disk.yaml", "fc.yaml", "hardware.yaml", "multipath.yaml", "nic.yaml"], Shipped.Rules.Select(r => Path.GetFileName(r.File)).Distinct().Order());
        Assert.Equal(39, Shipped.Rules.Length);
        Assert.All(Shipped.Rules, r => Assert.Contains(r.Category, ExternalNoticeRules.BuiltInCategories));
        Assert.Equal(["NIC", "FC", "HA/SS", "HA/RS"], Shipped.Rules.Select(r => r.Category).Distinct().OrderBy(c => c == "NIC" ? 0 : c == "FC" ? 1 : c == "HA/SS" ? 2 : 3));
    }

    [Fact]
    public void Every_recorded_line_makes_exactly_the_expected_message()
    {
        var replay = ReplayKernelLog();
        Assert.Equal(Expected.Length, replay.Count);
        for (var i = 0; i < replay.Count; i++)
        {
            var (line, notices) = replay[i];
            var got = notices.Select(n => ((string Rule, string Category, string Keyword, NoticeSeverity Severity)?)(n.Source["kernel log rule ".Length..], n.Category, n.Keyword!, n.Severity)).ToList();
            Assert.True(Expected[i] is null ? got.Count == 0 : got.Count == 1 && got[0].Equals(Expected[i]),
                $"record {i + 1} '{line.Raw}': expected {Expected[i]?.ToString() ?? "nothing"}, got [{string.Join("; ", got)}]");
        }
    }

    [Fact]
    public void Every_shipped_rule_is_exercised_by_a_recorded_line()
    {
        var fired = ReplayKernelLog().SelectMany(r => r.Notices).Select(n => n.Source).ToHashSet();
        Assert.Empty(Shipped.Rules.Where(r => !fired.Contains(LogRuleMatcher.SenderName(r))).Select(r => r.Name));
    }

    [Fact]
    public void Lines_that_only_look_alike_make_no_message()
    {
        var matcher = new LogRuleMatcher(Shipped);
        var lines = Recorded.Lines("unrelated.log");
        Assert.Equal(23, lines.Length);
        foreach (var text in lines)
        {
            var notices = matcher.Match(Recorded.Line(text), Recorded.T0, Node);
            Assert.True(notices.Count == 0, $"'{text}' made {string.Join("; ", notices)}");
        }
    }

    [Fact]
    public void Every_message_is_one_the_receiving_node_accepts()
    {
        var notices = ReplayKernelLog().SelectMany(r => r.Notices).ToList();
        Assert.Equal(Expected.Count(e => e is not null), notices.Count);
        Assert.All(notices, n => Assert.Null(ExternalNoticeRules.Problem(n, ExternalNoticeRules.BuiltInCategories, [Node])));
        Assert.All(notices, n => Assert.Null(n.Node));
        Assert.Equal(notices.Count, notices.Select(n => n.Id).Distinct().Count());
    }

    [Fact]
    public void Texts_say_what_happened()
    {
        var texts = ReplayKernelLog().SelectMany(r => r.Notices).ToDictionary(n => (n.Source, n.Keyword), n => n.Text);
        Assert.Equal("e1000e 0000:00:19.0 eth0: NIC Link is Down", texts[("kernel log rule e1000e-link-down", "eth0")]);
        Assert.Equal("bond0: link of eth3 is down, eth3 disabled", texts[("kernel log rule bonding-slave-link-down", "eth3")]);
        Assert.Equal("rport-7:0-2: blocked FC remote port time out: removing target and saving binding", texts[("kernel log rule fc-remote-port-lost", "rport-7:0-2")]);
        Assert.Equal("mpatha: no active path left", texts[("kernel log rule multipath-no-active-paths", "mpatha")]);
        Assert.Equal("blk_update_request: I/O error, dev sdb, sector 11922304 (3 times within 60s)", texts[("kernel log rule block-io-error", "sdb")]);
    }
}
