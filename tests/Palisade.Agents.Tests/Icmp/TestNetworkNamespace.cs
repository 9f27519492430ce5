using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Xunit;

namespace Palisade.Agents.Tests;

/// <summary>
/// A network namespace of the test's own (<c>sdtest-&lt;random&gt;</c>) holding a veth pair: v0 has
/// <see cref="Answering"/> (198.18.0.241/28), v1 has no address, so <see cref="Silent"/> (198.18.0.250, on v0's
/// subnet) is routed but never answers. The namespace has no route out, so nothing sent there reaches the host's
/// networks. Programs run inside it with <c>ip netns exec</c>; the namespace (and the pair) is deleted on dispose.
/// </summary>
public sealed class TestNetworkNamespace : IAsyncLifetime
{
    public const string Answering = "198.18.0.241";
    public const string Silent = "198.18.0.250";

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    public string Name { get; } = "sdtest-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    private bool _created;

    public async Task InitializeAsync()
    {
        await IpAsync("netns", "add", Name);
        _created = true;
        await IpAsync("-n", Name, "link", "set", "lo", "up");
        await IpAsync("-n", Name, "link", "add", "v0", "type", "veth", "peer", "name", "v1");
        await IpAsync("-n", Name, "addr", "add", $"{Answering}/28", "dev", "v0");
        await IpAsync("-n", Name, "link", "set", "v0", "up");
        await IpAsync("-n", Name, "link", "set", "v1", "up");
    }

    public async Task DisposeAsync()
    {
        if (_created)
        {
            await IpAsync("netns", "delete", Name);
        }
    }

    /// <summary>Runs this test assembly as a program inside the namespace (see <c>Program</c>).</summary>
    public Task<ProcessResult> RunTestProgramAsync(params string[] arguments) =>
        ProcessRunner.RunAsync(
            new ProcessSpec(Ip, ["netns", "exec", Name, DotnetHost, "exec", typeof(TestNetworkNamespace).Assembly.Location, .. arguments], Timeout: CommandTimeout),
            CancellationToken.None);

    private static string Ip => ExecutableLookup.Find("ip") ?? "/usr/sbin/ip";

    /// <summary>The dotnet host running these tests: DOTNET_HOST_PATH when the SDK set it, else the one above the runtime.</summary>
    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host
            ? host
            : Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..", "dotnet"));

    private static async Task IpAsync(params string[] arguments)
    {
        ProcessResult run = await ProcessRunner.RunAsync(new ProcessSpec(Ip, arguments, Timeout: CommandTimeout), CancellationToken.None);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip {string.Join(' ', arguments)} exited {run.ExitCode}: {run.StandardError.Trim()}");
        }
    }
}
