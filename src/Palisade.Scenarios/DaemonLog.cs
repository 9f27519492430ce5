using System.Globalization;
using System.Text.RegularExpressions;

namespace Palisade.Scenarios;

public enum DaemonEventKind
{
    NodeLost,
    FenceStarted,
    FenceAgent,
    Fenced,
    GroupStarting,
    ResourceStarted,
    GroupOnline,
}

/// <summary>A step of a failover as palisaded logged it; <see cref="Millis"/> is the duration the line reports, if any.</summary>
public sealed record DaemonEvent(DateTime At, string Node, DaemonEventKind Kind, string Subject, string? Where, long? Millis, string Line);

/// <summary>Reads palisaded's log lines ("yyyy-MM-dd HH:mm:ss.fff level: category[id] message") into failover steps.</summary>
public static partial class DaemonLog
{
    public static IReadOnlyList<DaemonEvent> Parse(string node, IEnumerable<string> lines)
    {
        var events = new List<DaemonEvent>();
        foreach (var line in lines)
        {
            if (line.Length < 25
                || !DateTime.TryParseExact(line[..23], "yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
            {
                continue;
            }

            var bracket = line.IndexOf("] ", 24, StringComparison.Ordinal);
            if (bracket < 0)
            {
                continue;
            }

            if (Classify(line[(bracket + 2)..]) is { } e)
            {
                events.Add(new DaemonEvent(at, node, e.Kind, e.Subject, e.Where, e.Millis, line));
            }
        }

        return events;
    }

    private static (DaemonEventKind Kind, string Subject, string? Where, long? Millis)? Classify(string m)
    {
        Match x;
        if ((x = NodeLost().Match(m)).Success)
        {
            return (DaemonEventKind.NodeLost, x.Groups[1].Value, x.Groups[2].Value, null);
        }

        if ((x = FenceAgent().Match(m)).Success)
        {
            return (DaemonEventKind.FenceAgent, x.Groups[1].Value, x.Groups[2].Value + ":" + x.Groups[3].Value, long.Parse(x.Groups[4].Value, CultureInfo.InvariantCulture));
        }

        if ((x = FenceStarted().Match(m)).Success)
        {
            return (DaemonEventKind.FenceStarted, x.Groups[1].Value, x.Groups[2].Value, null);
        }

        if ((x = Fenced().Match(m)).Success)
        {
            return (DaemonEventKind.Fenced, x.Groups[1].Value, x.Groups[2].Value, null);
        }

        if ((x = ResourceStarted().Match(m)).Success)
        {
            return (DaemonEventKind.ResourceStarted, x.Groups[1].Value, x.Groups[2].Value, long.Parse(x.Groups[3].Value, CultureInfo.InvariantCulture));
        }

        if ((x = GroupState().Match(m)).Success)
        {
            var kind = x.Groups[2].Value == "Online" ? DaemonEventKind.GroupOnline : DaemonEventKind.GroupStarting;
            return (kind, x.Groups[1].Value, x.Groups[3].Value, null);
        }

        return null;
    }

    [GeneratedRegex(@"^node (\S+) left \((\w+)\): Unclean")]
    private static partial Regex NodeLost();

    [GeneratedRegex(@"^fencing (\S+) with agent \d+ \((\S+)\): (\w+) in (\d+) ms")]
    private static partial Regex FenceAgent();

    [GeneratedRegex(@"^fencing (\S+) by (\S+):")]
    private static partial Regex FenceStarted();

    [GeneratedRegex(@"^(\S+) fenced by (\S+) ")]
    private static partial Regex Fenced();

    [GeneratedRegex(@"^group (\S+): resource (\S+) start: Success in (\d+) ms")]
    private static partial Regex ResourceStarted();

    [GeneratedRegex(@"^group (\S+): (Starting|Online) on (\S+):")]
    private static partial Regex GroupState();
}
