using Xunit;

namespace Palisade.Integration.Tests.Install;

/// <summary>
/// What scripts/package.sh builds: the packages' fields and files (dpkg-deb --info and --contents), maintainer
/// scripts that never start palisaded, lintian, and the unpacked programs running without .NET installed and without
/// the lab.
/// </summary>
public sealed class PackageContentsTests : IAsyncLifetime
{
    private readonly string _scratch = Directory.CreateTempSubdirectory("palisade-deb-").FullName;
    private DebianPackages _debs = null!;

    public async Task InitializeAsync() => _debs = await DebianPackages.GetAsync();

    public Task DisposeAsync()
    {
        Directory.Delete(_scratch, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_palisade_package_depends_on_corosync_and_no_dotnet()
    {
        var info = await DpkgDebAsync("--info", _debs.Palisade);

        Assert.Contains(" Package: palisade\n", info, StringComparison.Ordinal);
        Assert.Contains($" Version: {_debs.Version}\n", info, StringComparison.Ordinal);
        Assert.Contains(" Architecture: amd64\n", info, StringComparison.Ordinal);
        var depends = Field(info, "Depends");
        foreach (var package in new[] { "corosync", "libcpg4", "libquorum5", "libvotequorum8", "libcmap4", "libcfg7", "libssl3" })
        {
            Assert.Contains(package, depends.Split(", "));
        }

        Assert.DoesNotContain("dotnet", info, StringComparison.Ordinal);
        Assert.Contains("postinst", info, StringComparison.Ordinal);
        Assert.Contains("libpam0g", depends.Split(", "));
        Assert.Equal("/etc/pam.d/palisade\n", await DpkgDebAsync("--info", _debs.Palisade, "conffiles"));
    }

    [Fact]
    public async Task The_palisade_package_holds_the_programs_unit_docs_and_rules_and_not_the_lab()
    {
        var contents = await DpkgDebAsync("--contents", _debs.Palisade);
        var lines = contents.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.All(lines, l => Assert.Contains(" root/root ", l, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("./usr/sbin/palisaded -> ../lib/palisade/palisaded", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith("./usr/bin/palisade -> ../lib/palisade/palisade", StringComparison.Ordinal));
        foreach (var file in new[]
        {
            "./usr/lib/palisade/palisaded", "./usr/lib/palisade/palisade", "./usr/sbin/sdtool", "./usr/sbin/clprexec",
            "./lib/systemd/system/palisaded.service", "./usr/share/palisade/prometheus/palisade-alerts.yml",
            "./usr/share/palisade/examples/demo.yaml", "./usr/share/doc/palisade/install.md",
            "./usr/share/doc/palisade/operations.md", "./usr/share/doc/palisade/changelog.gz", "./usr/lib/palisade/libcoreclr.so",
            "./usr/lib/palisade/libhostfxr.so", "./etc/pam.d/palisade", "./usr/share/doc/palisade/alerts.md",
        })
        {
            Assert.Contains(lines, l => l.EndsWith(" " + file, StringComparison.Ordinal));
        }

        foreach (var program in new[] { "./usr/sbin/sdtool", "./usr/sbin/clprexec", "./usr/lib/palisade/palisaded", "./usr/share/palisade/examples/demo/hello-service" })
        {
            Assert.Contains(lines, l => l.StartsWith("-rwxr-xr-x", StringComparison.Ordinal) && l.EndsWith(" " + program, StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.StartsWith("-rw-r--r--", StringComparison.Ordinal) && l.EndsWith(" ./usr/lib/palisade/libcoreclr.so", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("-rw-r--r--", StringComparison.Ordinal) && l.EndsWith(" ./usr/share/bash-completion/completions/palisade", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" ./usr/share/bash-completion/completions/sdtool -> palisade", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.EndsWith(" ./usr/share/bash-completion/completions/clprexec -> palisade", StringComparison.Ordinal));
        Assert.DoesNotContain("Palisade.Lab", contents, StringComparison.Ordinal);
        Assert.DoesNotContain("Palisade.Scenarios", contents, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_lab_package_holds_only_the_lab_and_needs_the_same_palisade()
    {
        var info = await DpkgDebAsync("--info", _debs.Lab);
        var contents = await DpkgDebAsync("--contents", _debs.Lab);

        Assert.Contains(" Package: palisade-lab\n", info, StringComparison.Ordinal);
        Assert.Contains($"palisade (= {_debs.Version})", Field(info, "Depends"), StringComparison.Ordinal);
        Assert.Contains("openipmi", Field(info, "Depends"), StringComparison.Ordinal);
        Assert.Contains("./usr/lib/palisade/lab/Palisade.Lab.dll", contents, StringComparison.Ordinal);
        Assert.Contains("./usr/lib/palisade/lab/Palisade.Scenarios.dll", contents, StringComparison.Ordinal);
        Assert.DoesNotContain("palisaded", contents, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Installing_creates_the_directories_and_starts_nothing()
    {
        var control = Path.Combine(_scratch, "control");
        var (code, output) = await DebianPackages.RunAsync("dpkg-deb", ["-e", _debs.Palisade, control], _scratch, TimeSpan.FromMinutes(1));
        Assert.True(code == 0, output);

        var postinst = File.ReadAllText(Path.Combine(control, "postinst"));
        Assert.Contains("install -d -m 0755 /etc/palisade", postinst, StringComparison.Ordinal);
        Assert.Contains("install -d -m 0700 /var/lib/palisade", postinst, StringComparison.Ordinal);
        var commands = string.Join('\n', postinst.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));
        foreach (var starts in new[] { "systemctl start", "systemctl enable", "systemctl restart", "deb-systemd-invoke", "deb-systemd-helper enable", "palisaded --" })
        {
            Assert.DoesNotContain(starts, commands, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("start", File.ReadAllText(Path.Combine(control, "prerm")).Split('\n').Where(l => !l.TrimStart().StartsWith('#')).SelectMany(l => l.Split(' ')));
    }

    [Fact]
    public async Task The_unpacked_programs_run_and_the_lab_answers_only_with_palisade_lab()
    {
        var root = Path.Combine(_scratch, "root");
        await DebianPackages.ExtractAsync(_debs.Palisade, root);
        var palisade = Path.Combine(root, "usr", "bin", "palisade");
        var runtimeConfig = File.ReadAllText(Path.Combine(root, "usr", "lib", "palisade", "palisade.runtimeconfig.json"));
        Assert.Contains("includedFrameworks", runtimeConfig, StringComparison.Ordinal); // self-contained: .NET inside
        // palisaded is one native executable (Native AOT): no assembly, runtime configuration or dependency manifest of its own.
        var lib = Path.Combine(root, "usr", "lib", "palisade");
        Assert.Equal("\u007fELF"u8.ToArray(), File.ReadAllBytes(Path.Combine(lib, "palisaded"))[..4]);
        Assert.False(File.Exists(Path.Combine(lib, "palisaded.dll")), "palisaded.dll is packaged: palisaded was not published natively");
        Assert.False(File.Exists(Path.Combine(lib, "palisaded.runtimeconfig.json")), "palisaded.runtimeconfig.json is packaged");

        var validate = await RunAsync(palisade, "config", "validate", Path.Combine(DebianPackages.Repo, "examples", "demo.yaml"));
        Assert.True(validate.Code == 0, validate.Output);
        var daemon = await RunAsync(Path.Combine(root, "usr", "sbin", "palisaded"), "--help");
        Assert.True(daemon.Code == 0 && daemon.Output.StartsWith("usage: palisaded", StringComparison.Ordinal), daemon.Output);
        var sdtool = await RunAsync(Path.Combine(root, "usr", "sbin", "sdtool"), "--help");
        Assert.True(sdtool.Code == 0 && sdtool.Output.Contains("also: sdtool", StringComparison.Ordinal), sdtool.Output);

        // As on a server without .NET: this host's .NET hidden under an empty tmpfs, in a private mount namespace.
        var withoutDotnet = await DebianPackages.RunAsync("unshare", ["--mount", "--propagation", "private", "sh", "-c",
            $"mount -t tmpfs tmpfs /usr/share/dotnet && test -z \"$(ls /usr/share/dotnet)\" && {palisade} config validate {Path.Combine(DebianPackages.Repo, "examples", "demo.yaml")} && {Path.Combine(root, "usr", "sbin", "palisaded")} --help"],
            "/", TimeSpan.FromMinutes(1));
        Assert.True(withoutDotnet.Code == 0, withoutDotnet.Output);
        Assert.Contains("valid (cluster demo", withoutDotnet.Output, StringComparison.Ordinal);
        Assert.Contains("usage: palisaded", withoutDotnet.Output, StringComparison.Ordinal);

        var noLab = await RunAsync(palisade, "lab", "status");
        Assert.Equal(1, noLab.Code);
        Assert.Contains("the lab is not installed on this machine (install the palisade-lab package", noLab.Output, StringComparison.Ordinal);

        await DebianPackages.ExtractAsync(_debs.Lab, root);
        // Answered by the lab's own assembly (the CLI's declarations take both options), without touching any lab.
        var lab = await RunAsync(palisade, "lab", "up", "--nodes", "2", "--config", "/nonexistent/cluster.yaml");
        Assert.True(lab.Code == 2 && lab.Output.Contains("lab: give either a node count or a config file, not both", StringComparison.Ordinal), lab.Output);
    }

    [Fact]
    public async Task Lintian_finds_no_error_and_no_warning()
    {
        Assert.True(File.Exists("/usr/bin/lintian"), "lintian is missing: scripts/install.sh installs it");

        // Manual pages are not written yet: the one tag let through (its --help is each program's reference).
        var (code, output) = await DebianPackages.RunAsync("lintian", ["--fail-on", "error,warning", "--suppress-tags", "no-manual-page",
            _debs.Palisade, _debs.Lab], "/", TimeSpan.FromMinutes(3));

        var tags = output.Split('\n').Where(l => l.StartsWith("E: ", StringComparison.Ordinal) || l.StartsWith("W: ", StringComparison.Ordinal)).ToList();
        Assert.True(code == 0 && tags.Count == 0, $"lintian exited {code}:\n{output}");
    }

    private static Task<(int Code, string Output)> RunAsync(string program, params string[] args) =>
        DebianPackages.RunAsync(program, args, "/", TimeSpan.FromMinutes(1), new Dictionary<string, string> { ["DOTNET_ROOT"] = "/nonexistent" });

    private static async Task<string> DpkgDebAsync(string action, string deb, params string[] more)
    {
        var (code, output) = await DebianPackages.RunAsync("dpkg-deb", [action, deb, .. more], "/", TimeSpan.FromMinutes(1));
        Assert.True(code == 0, $"dpkg-deb {action} {deb}: {output}");
        return output;
    }

    private static string Field(string info, string name) =>
        info.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith(name + ": ", StringComparison.Ordinal))[(name.Length + 2)..];
}
