using System.Diagnostics;
using Xunit;

namespace Palisade.Integration.Tests.Install;

/// <summary>The Debian packages scripts/package.sh builds from this checkout, built once per test run.</summary>
internal sealed record DebianPackages(string Palisade, string Lab, string Version)
{
    private static readonly Lazy<Task<DebianPackages>> Once = new(BuildAsync);

    public static Task<DebianPackages> GetAsync() => Once.Value;

    public static string Repo { get; } = FindRepo();

    /// <summary>Unpacks <paramref name="deb"/> into <paramref name="dir"/> (dpkg-deb -x: no maintainer script runs, nothing is installed).</summary>
    public static async Task ExtractAsync(string deb, string dir)
    {
        var (code, output) = await RunAsync("dpkg-deb", ["-x", deb, dir], Repo, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"dpkg-deb -x {deb}: {output}");
    }

    public static async Task<(int Code, string Output)> RunAsync(string file, IReadOnlyList<string> args, string dir, TimeSpan limit,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {limit}");
        }

        return (process.ExitCode, await output + await error);
    }

    private static async Task<DebianPackages> BuildAsync()
    {
        var (code, output) = await RunAsync("bash", ["scripts/package.sh"], Repo, TimeSpan.FromMinutes(8));
        Assert.True(code == 0, $"scripts/package.sh exited {code}:\n{output}");
        var dir = Path.Combine(Repo, "out", "packages");
        var palisade = Assert.Single(Directory.GetFiles(dir, "palisade_*_amd64.deb"));
        var lab = Assert.Single(Directory.GetFiles(dir, "palisade-lab_*_amd64.deb"));
        var version = Path.GetFileName(palisade)["palisade_".Length..^"_amd64.deb".Length];
        return new DebianPackages(palisade, lab, version);
    }

    private static string FindRepo()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Palisade.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("the repository (Palisade.slnx) is not above the test's directory");
    }
}
