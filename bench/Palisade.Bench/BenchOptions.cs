using System.Globalization;

namespace Palisade.Bench;

/// <summary>The command line: <c>[--runs N] [--only PART[,PART...]]</c>; every part runs when none is named.</summary>
internal sealed record BenchOptions(int Runs, IReadOnlyList<string> Parts)
{
    public static readonly IReadOnlyList<string> AllParts = ["failover", "fencing", "test-cycle", "partition", "crypto", "monitors", "external", "api", "web", "footprint"];

    public const string Usage = "usage: Palisade.Bench [--runs N] [--only failover|fencing|test-cycle|partition|crypto|monitors|external|api|web|footprint[,...]]";

    /// <summary>The options, or null with the problem in <paramref name="error"/>.</summary>
    public static BenchOptions? Parse(IReadOnlyList<string> args, out string error)
    {
        var runs = 5;
        IReadOnlyList<string> parts = AllParts;
        error = "";
        for (var i = 0; i < args.Count; i++)
        {
            var value = i + 1 < args.Count ? args[i + 1] : null;
            switch (args[i])
            {
                case "--runs" when int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 100:
                    runs = n;
                    i++;
                    break;
                case "--runs":
                    error = $"--runs needs a number from 1 to 100 (got '{value}')";
                    return null;
                case "--only" when value is not null:
                    parts = [.. value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];
                    var unknown = parts.Count == 0 ? value : parts.FirstOrDefault(p => !AllParts.Contains(p));
                    if (unknown is not null)
                    {
                        error = $"--only: unknown part '{unknown}' (parts: {string.Join(", ", AllParts)})";
                        return null;
                    }

                    i++;
                    break;
                case "--only":
                    error = $"--only needs one or more of {string.Join(", ", AllParts)}";
                    return null;
                default:
                    error = $"unknown argument '{args[i]}'";
                    return null;
            }
        }

        return new BenchOptions(runs, parts);
    }
}
