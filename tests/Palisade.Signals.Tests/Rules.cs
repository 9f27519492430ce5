namespace Palisade.Signals.Tests;

/// <summary>Small rule sets written inline for the matcher tests.</summary>
internal static class Rules
{
    /// <summary>Three I/O errors on one device within 60 seconds.</summary>
    public const string Counted = """
        rules:
          - name: disk-io
            pattern: 'I/O error, dev (?<dev>[^\s,]+), sector'
            category: HA/SS
            severity: error
            keyword: '${dev}'
            count: 3
            within: 60s
        """;

    public static RuleSet Parse(string yaml)
    {
        var set = RuleSet.Parse("test.yaml", yaml);
        return set.Ok ? set : throw new InvalidOperationException(string.Join("\n", set.Errors));
    }

    public static KernelLogLine IoError(string device, long sequence) =>
        KernelLogLine.ParseKmsg($"3,{sequence},{sequence * 1000},-;blk_update_request: I/O error, dev {device}, sector {sequence * 8}")!;
}
