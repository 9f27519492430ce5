using System.Globalization;
using Palisade.Scenarios;

namespace Palisade.Bench;

/// <summary>The demo failover with the interconnect encrypted (the default) and with <c>crypto: false</c>, N runs each.</summary>
internal static class CryptoPart
{
    public static async Task RunAsync(int runs, TimeProvider time, TextWriter output)
    {
        var demo = await File.ReadAllTextAsync(DemoRunner.DefaultConfig);
        var plain = demo.Replace("cluster:\n", "cluster:\n  crypto: false\n", StringComparison.Ordinal);
        if (plain == demo)
        {
            throw new InvalidOperationException($"{DemoRunner.DefaultConfig} has no 'cluster:' line to add 'crypto: false' to");
        }

        var on = await FailoverPart.RunAsync(demo, "crypto on (aes256/sha256)", measureIdle: false, runs, time, output);
        var off = await FailoverPart.RunAsync(plain, "crypto off", measureIdle: false, runs, time, output);
        var table = new TextTable($"crypto: median power-off->Online over {runs} runs (ms)", "interconnect", "median");
        table.Add("aes256/sha256", [on]);
        table.Add("none", [off]);
        table.Write(output);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"crypto costs {on - off:F0} ms of failover time ({(off > 0 ? (on - off) / off * 100 : 0):F1} %)"));
    }
}
