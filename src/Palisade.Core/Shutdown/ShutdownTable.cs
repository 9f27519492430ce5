using System.Collections.Immutable;
using Palisade.Core.Configuration;

namespace Palisade.Core.Shutdown;

/// <summary>What a shutdown daemon does with an agent.</summary>
public enum AgentActivity
{
    Init,
    Test,
    Kill,
    UnInit,
}

/// <summary>One (target node, agent) pair as this node's shutdown daemon sees it.</summary>
/// <param name="Index">1-based position of the agent in the target's chain.</param>
public sealed record ShutdownRow(string Target, int Index, string Agent)
{
    public SaState Sa { get; init; } = SaState.Idle;
    public ShutState Shut { get; init; } = ShutState.Unknown;
    public TestState Test { get; init; } = TestState.Unknown;
    public InitState Init { get; init; } = InitState.Unknown;

    /// <summary>The last result's one-line reason (never a secret).</summary>
    public string Reason { get; init; } = "";

    public DateTimeOffset? Changed { get; init; }

    /// <summary>When a test of this path last worked (null: never, since this shutdown daemon started).</summary>
    public DateTimeOffset? LastTestWorked { get; init; }
}

/// <summary>
/// The state table of one shutdown daemon: every agent of every node, in configuration order. Immutable; each
/// transition returns a new table. Pure: times come from the caller.
/// </summary>
public sealed record ShutdownTable(ImmutableArray<ShutdownRow> Rows)
{
    public static ShutdownTable Create(ClusterConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new([.. config.Nodes.SelectMany(n => n.ShutdownAgents.Select((a, i) => new ShutdownRow(n.Name, i + 1, a.Type)))]);
    }

    public ShutdownRow? Find(string target, int index) => Rows.FirstOrDefault(r => r.Target == target && r.Index == index);

    /// <summary>An activity began on this node.</summary>
    public ShutdownTable Started(string target, int index, AgentActivity activity, DateTimeOffset at) =>
        Update(target, index, row => activity switch
        {
            AgentActivity.Init => row with { Sa = SaState.Initing, Init = InitState.Initing },
            AgentActivity.Test => row with { Sa = SaState.Testing, Test = TestState.Testing },
            AgentActivity.Kill => row with { Sa = SaState.Killing, Shut = ShutState.Killing },
            _ => row with { Sa = SaState.UnIniting },
        } with { Changed = at });

    /// <summary>
    /// An activity ended. <paramref name="local"/> is false for kills run by another node's shutdown daemon: they
    /// change the Shut State everyone shows, not this node's SA State.
    /// </summary>
    public ShutdownTable Finished(string target, int index, AgentActivity activity, bool worked, string reason, DateTimeOffset at, bool local = true) =>
        Update(target, index, row =>
        {
            var next = activity switch
            {
                AgentActivity.Init => row with
                {
                    Sa = worked ? SaState.InitWorked : SaState.InitFailed,
                    Init = worked ? InitState.InitWorked : InitState.InitFailed,
                },
                AgentActivity.Test => row with
                {
                    Sa = worked ? SaState.TestWorked : SaState.TestFailed,
                    Test = worked ? TestState.TestWorked : TestState.TestFailed,
                    LastTestWorked = worked ? at : row.LastTestWorked,
                },
                AgentActivity.Kill => row with
                {
                    Sa = local ? (worked ? SaState.KillWorked : SaState.KillFailed) : row.Sa,
                    Shut = worked ? ShutState.KillWorked : ShutState.KillFailed,
                },
                _ => row with
                {
                    Sa = worked ? SaState.UnInitWorked : SaState.UnInitFailed,
                    Init = InitState.Unknown,
                    Test = TestState.Unknown,
                },
            };
            return next with { Reason = reason, Changed = at };
        });

    /// <summary>Rows of the agents this node can run right now (initialised and not being uninitialised).</summary>
    public bool IsReady(string target, int index) =>
        Find(target, index) is { Init: InitState.InitWorked } row && row.Sa is not (SaState.UnIniting or SaState.UnInitWorked);

    private ShutdownTable Update(string target, int index, Func<ShutdownRow, ShutdownRow> change)
    {
        var i = Rows.IndexOf(Rows.FirstOrDefault(r => r.Target == target && r.Index == index)!);
        return i < 0 ? this : new(Rows.SetItem(i, change(Rows[i])));
    }
}
