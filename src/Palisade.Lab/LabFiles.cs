using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Palisade.Configuration;
using Palisade.Core.Configuration;

namespace Palisade.Lab;

/// <summary>What lab down and the other verbs need to know about a running lab (state/lab.json).</summary>
internal sealed record LabState(
    string Cluster,
    string DaemonPath,
    bool DaemonPresent,
    IReadOnlyList<LabStateNode> Nodes,
    IReadOnlyList<string> CreatedHostDirs);

internal sealed record LabStateNode(string Name, uint Id, int Index)
{
    public LabNode ToNode() => new(Name, Id, Index);
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(LabState))]
internal sealed partial class LabStateJson : JsonSerializerContext;

/// <summary>Writes and reads the lab's state directory: layout, scripts, secrets, configs.</summary>
internal sealed class LabFiles(LabPaths paths)
{
    private const UnixFileMode Executable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const string StandardPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>True when the state directory holds anything (a running or crashed lab).</summary>
    public bool StateExists() =>
        Directory.Exists(paths.Root) && Directory.EnumerateFileSystemEntries(paths.Root).Any();

    public void CreateLayout(IReadOnlyList<LabNode> nodes)
    {
        Directory.CreateDirectory(paths.Bin);
        foreach (var node in nodes)
        {
            foreach (var (dir, _) in LabPaths.NodeMounts)
            {
                Directory.CreateDirectory(paths.NodeSubdir(node.Name, dir));
            }
        }

        File.WriteAllText(paths.Ledger, "");
    }

    /// <summary>Creates the host directories the nodes bind over, if missing; returns those it created.</summary>
    public static IReadOnlyList<string> CreateHostMountPoints()
    {
        var created = new List<string>();
        foreach (var (_, mountPoint) in LabPaths.NodeMounts)
        {
            if (!Directory.Exists(mountPoint))
            {
                Directory.CreateDirectory(mountPoint);
                created.Add(mountPoint);
            }
        }

        return created;
    }

    /// <summary>Removes host mount points the lab created, if they are still empty.</summary>
    public static void RemoveHostMountPoints(IEnumerable<string> created)
    {
        foreach (var dir in created.Where(d => Directory.Exists(d) && !Directory.EnumerateFileSystemEntries(d).Any()))
        {
            Directory.Delete(dir);
        }
    }

    public void WriteScripts(string daemonPath)
    {
        var prologue = new StringBuilder()
            .Append("#!/bin/bash\n")
            .Append("# Written by 'palisade lab up' for this lab only.\n")
            .Append($"state={ShellQuote(paths.Root)}\n")
            .Append($"daemon={ShellQuote(daemonPath)}\n")
            .Append($"node_env=({string.Join(' ', NodeEnvironment().Select(ShellQuote))})\n\n")
            .ToString();
        foreach (var (script, target) in new[]
                 {
                     ("node-start", paths.NodeStartScript),
                     ("node-boot", paths.NodeBootScript),
                     ("power", paths.PowerScript),
                 })
        {
            File.WriteAllText(target, prologue + ReadScript(script));
            File.SetUnixFileMode(target, Executable);
        }
    }

    /// <summary>Writes the effective config (lab copy and one per node), corosync.conf, and the BMC password.</summary>
    public void WriteClusterFiles(ClusterConfig config, IReadOnlyList<LabNode> nodes, string bmcPassword)
    {
        var yaml = ConfigYamlWriter.Write(config, redactSecrets: false);
        var corosync = CorosyncConfWriter.Write(config);
        var authkey = RandomNumberGenerator.GetBytes(256);
        File.WriteAllText(paths.ClusterYaml, yaml);
        WriteSecret(paths.BmcPassword, Encoding.ASCII.GetBytes(bmcPassword));
        foreach (var node in nodes)
        {
            var etcCorosync = paths.NodeSubdir(node.Name, "etc-corosync");
            var etcPalisade = paths.NodeSubdir(node.Name, "etc-palisade");
            File.WriteAllText(Path.Combine(etcCorosync, "corosync.conf"), corosync);
            // The same key on every node, root-only and read-only as on a real cluster: corosync encrypts with it.
            var authkeyPath = Path.Combine(etcCorosync, "authkey");
            WriteSecret(authkeyPath, authkey);
            File.SetUnixFileMode(authkeyPath, UnixFileMode.UserRead);
            File.WriteAllText(Path.Combine(etcPalisade, "palisade.yaml"), yaml);
            WriteSecret(Path.Combine(etcPalisade, Path.GetFileName(LabBmcAccess.PasswordFileOnNode)),
                Encoding.ASCII.GetBytes(bmcPassword));
        }
    }

    public void WriteState(LabState state) =>
        File.WriteAllText(paths.StateFile, JsonSerializer.Serialize(state, LabStateJson.Default.LabState));

    /// <summary>The lab's recorded state, or null when there is none (no lab, or a crash lost it).</summary>
    public LabState? TryReadState()
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(paths.StateFile), LabStateJson.Default.LabState);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Deletes the state directory; refuses paths that could not be a lab's.</summary>
    public void RemoveState()
    {
        if (Path.GetDirectoryName(paths.Root) is null or "/")
        {
            throw new LabException($"refusing to delete {paths.Root}: a lab state directory must be at least two levels deep");
        }

        if (Directory.Exists(paths.Root))
        {
            Directory.Delete(paths.Root, recursive: true);
        }
    }

    /// <summary>Last lines of a node's boot log, for error messages.</summary>
    public string BootLogTail(string node, int lines = 8)
    {
        try
        {
            var all = File.ReadAllLines(paths.BootLog(node));
            return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
        }
        catch (IOException)
        {
            return "";
        }
    }

    public static void Restrict(string path) => File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

    public static string NewPassword() =>
        RandomNumberGenerator.GetString("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789", 16);

    /// <summary>Quotes for bash, so paths with odd characters stay one word.</summary>
    public static string ShellQuote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Creates the file with mode 600 before anything is written to it.</summary>
    public static void WriteSecret(string path, byte[] content)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var stream = new FileStream(path, options))
        {
            stream.Write(content);
        }

        Restrict(path);
    }

    /// <summary>
    /// Nodes start with a clean environment: a test runner's or shell's variables must not leak into
    /// palisaded. DOTNET_ROOT and PALISADE_* pass through so a daemon can be located and tuned.
    /// </summary>
    private static IEnumerable<string> NodeEnvironment()
    {
        yield return "PATH=" + StandardPath;
        yield return "HOME=/root";
        yield return "LANG=C.UTF-8";
        var passed = Environment.GetEnvironmentVariables().Keys.OfType<string>()
            .Where(k => k == "DOTNET_ROOT" || k.StartsWith("PALISADE_", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var key in passed)
        {
            yield return $"{key}={Environment.GetEnvironmentVariable(key)}";
        }
    }

    private static string ReadScript(string name)
    {
        var resource = $"Palisade.Lab.Scripts.{name}.sh";
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded script {resource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
