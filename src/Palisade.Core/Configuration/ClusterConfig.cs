using System.Collections.Immutable;

namespace Palisade.Core.Configuration;

/// <summary>The whole cluster as one YAML file describes it. Immutable once validated.</summary>
public sealed record ClusterConfig
{
    public required string Name { get; init; }
    public required TotemConfig Totem { get; init; }
    public required ImmutableArray<NodeConfig> Nodes { get; init; }
    public required ImmutableArray<GroupConfig> Groups { get; init; }

    public ShutdownSettings Shutdown { get; init; } = new();

    /// <summary>Named sets of nodes (a site, a rack): a failover prefers a node of the server group it leaves.</summary>
    public ImmutableArray<ServerGroupConfig> ServerGroups { get; init; } = [];

    /// <summary>The monitors of the top-level <c>monitors:</c> list (a resource's own monitor is declared on the resource).</summary>
    public ImmutableArray<MonitorConfig> Monitors { get; init; } = [];

    /// <summary>Message categories the cluster file adds to the built-in ones (<c>categories:</c>).</summary>
    public ImmutableArray<string> Categories { get; init; } = [];

    /// <summary>Every category an external message may have: the built-in ones and the cluster file's.</summary>
    public IReadOnlyList<string> AllCategories => [.. Messages.ExternalNoticeRules.BuiltInCategories, .. Categories];

    /// <summary>What palisaded itself turns into messages on every node (<c>sources:</c>).</summary>
    public SourcesConfig Sources { get; init; } = new();

    /// <summary>The HTTPS endpoint for remote senders (<c>intake:</c>); null when the cluster has none.</summary>
    public IntakeConfig? Intake { get; init; }

    /// <summary>The HTTP API of every node; null when it is off.</summary>
    public ApiConfig? Api { get; init; }

    /// <summary>Alert agents and webhooks that get the cluster's alert events (<c>alerts:</c>).</summary>
    public ImmutableArray<AlertConfig> Alerts { get; init; } = [];

    /// <summary>How operating-system final actions are carried out (<c>node_actions</c>).</summary>
    public NodeActionsConfig NodeActions { get; init; } = new();

    public MonitorConfig? FindMonitor(string name) => Monitors.FirstOrDefault(m => m.Name == name);

    /// <summary>The server group <paramref name="node"/> belongs to; null when it is in none.</summary>
    public ServerGroupConfig? ServerGroupOf(string node) => ServerGroups.FirstOrDefault(g => g.Nodes.Contains(node));

    /// <summary>Corosync's two_node mode (exactly two nodes): both halves of a split keep quorum.</summary>
    public bool TwoNode => Nodes.Length == 2;

    /// <summary>Where the file came from, for messages; null when built in code.</summary>
    public string? SourcePath { get; init; }

    public NodeConfig? FindNode(string name) => Nodes.FirstOrDefault(n => n.Name == name);

    public NodeConfig? FindNode(uint id) => Nodes.FirstOrDefault(n => n.Id == id);

    public GroupConfig? FindGroup(string name) => Groups.FirstOrDefault(g => g.Name == name);
}

/// <summary>Corosync totem timing; these end up in the generated corosync.conf.</summary>
public sealed record TotemConfig
{
    /// <summary>Token timeout in milliseconds (corosync <c>token</c>).</summary>
    public int TokenMs { get; init; } = 1000;

    /// <summary>Corosync <c>token_coefficient</c> in milliseconds; null keeps corosync's default (650).</summary>
    public int? TokenCoefficientMs { get; init; }

    /// <summary>Corosync <c>transport</c>: knet (default) or udpu.</summary>
    public string Transport { get; init; } = "knet";

    /// <summary>votequorum <c>wait_for_all</c>: the cluster becomes quorate the first time only when every node is up.</summary>
    public bool WaitForAll { get; init; } = true;

    /// <summary>
    /// Corosync knet crypto (<c>crypto_cipher: aes256</c>, <c>crypto_hash: sha256</c> under the shared authkey):
    /// only nodes holding the cluster's key can join or read the interconnect. Off only when the file says so.
    /// </summary>
    public bool Crypto { get; init; } = true;
}

public sealed record NodeConfig
{
    public required string Name { get; init; }

    /// <summary>Corosync node id (1..n), unique in the cluster.</summary>
    public required uint Id { get; init; }

    /// <summary>Interconnect addresses, one per corosync link (ring0_addr, ring1_addr, ...).</summary>
    public required ImmutableArray<string> Interconnect { get; init; }

    /// <summary>Address on the administration LAN (survives an interconnect cut).</summary>
    public string? Admin { get; init; }

    /// <summary>Survival weight for partition resolution (default 1).</summary>
    public int Weight { get; init; } = 1;

    /// <summary>Server group (site) this node belongs to.</summary>
    public string? ServerGroup { get; init; }

    /// <summary>Shutdown agents tried in order to fence this node.</summary>
    public ImmutableArray<ShutdownAgentConfig> ShutdownAgents { get; init; } = [];

    /// <summary>
    /// The node's watchdog device (e.g. /dev/watchdog): palisaded feeds it while the node is healthy and lets it reset
    /// the node otherwise. Null when the node has none.
    /// </summary>
    public string? Watchdog { get; init; }
}

public sealed record ShutdownAgentConfig
{
    /// <summary>Agent type, e.g. <c>ipmi</c>.</summary>
    public required string Type { get; init; }

    /// <summary>How long one kill attempt (off + confirmation) may take.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Agent parameters as written; secrets may be given as <c>NAME_file</c>, read only at use.</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}

public sealed record ServerGroupConfig
{
    public required string Name { get; init; }
    public required ImmutableArray<string> Nodes { get; init; }
}

public sealed record GroupConfig
{
    public required string Name { get; init; }

    /// <summary>Nodes that may run the group, in order of preference.</summary>
    public required ImmutableArray<string> Nodes { get; init; }

    /// <summary>Added to a partition's survival priority while the group is Online there.</summary>
    public int ShutdownPriority { get; init; }

    /// <summary>Start the group when the cluster forms (default true).</summary>
    public bool AutoStart { get; init; } = true;

    /// <summary>Resources in start order; they stop in reverse.</summary>
    public ImmutableArray<ResourceConfig> Resources { get; init; } = [];
}

public enum ResourceKind
{
    Exec,
    Ocf,
}

public sealed record ResourceConfig
{
    public required string Name { get; init; }
    public required ResourceKind Kind { get; init; }

    /// <summary>exec: shell commands run with /bin/sh -c.</summary>
    public string? StartCommand { get; init; }
    public string? StopCommand { get; init; }
    public string? MonitorCommand { get; init; }

    /// <summary>ocf: <c>provider:type</c>, e.g. <c>heartbeat:IPaddr2</c>.</summary>
    public string? Agent { get; init; }

    /// <summary>ocf: OCF_RESKEY_* parameters; exec: extra environment variables.</summary>
    public ImmutableSortedDictionary<string, string> Parameters { get; init; } = ImmutableSortedDictionary<string, string>.Empty;

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan MonitorTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the resource is monitored while Online; zero disables monitoring.</summary>
    public TimeSpan MonitorInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Failed monitor runs in a row that are still not an error (the next one is): a brief hiccup is retried.</summary>
    public int MonitorRetries { get; init; }

    /// <summary>How long after the group is active here its monitor waits before its first run (a slow warm-up).</summary>
    public TimeSpan MonitorStartDelay { get; init; } = TimeSpan.Zero;

    /// <summary>A monitor run that times out counts as a failure (true), or is ignored (false: <c>monitor_on_timeout: ignore</c>).</summary>
    public bool MonitorTimeoutIsError { get; init; } = true;

    /// <summary>What a failure its monitor detects leads to.</summary>
    public RecoveryConfig Recovery { get; init; } = RecoveryConfig.ResourceDefault;

    /// <summary>The name of this resource's own monitor in status and commands: <c>GROUP/RESOURCE</c>.</summary>
    public static string MonitorName(string group, string resource) => $"{group}/{resource}";
}

/// <summary>Settings of the shutdown daemons (the <c>shutdown</c> section).</summary>
public sealed record ShutdownSettings
{
    /// <summary>How often every node tests every other node's fencing paths.</summary>
    public TimeSpan TestInterval { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The longest a partition waits before fencing the others: the heaviest waits nothing, a lighter one waits this
    /// times (1 - its share of the total weight).
    /// </summary>
    public TimeSpan PartitionDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How many fence history entries the cluster keeps.</summary>
    public int HistoryLimit { get; init; } = 500;

    /// <summary>UDP port on the administration LAN where shutdown daemons advertise their partition.</summary>
    public int AdvertPort { get; init; } = 7411;

    /// <summary>
    /// How long a node's watchdog waits without being fed before it resets the node; a lost node with a watchdog
    /// counts as down twice this long after it was lost.
    /// </summary>
    public TimeSpan WatchdogTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
