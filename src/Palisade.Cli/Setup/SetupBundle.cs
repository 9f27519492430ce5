using Palisade.Configuration;
using Palisade.Core.Configuration;

namespace Palisade.Cli.Setup;

/// <summary>
/// The files every node of a cluster gets, in one directory (mode 0700): the corosync authkey, corosync.conf and the
/// cluster file. An authkey already in the directory is kept: running setup again must not give the nodes a new key.
/// </summary>
internal static class SetupBundle
{
    /// <summary>Writes the bundle; returns whether the authkey is new.</summary>
    public static bool Write(string directory, ClusterConfig config, string clusterFileText)
    {
        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var authkey = Path.Combine(directory, SetupPlan.AuthkeyFile);
        var created = !File.Exists(authkey);
        if (created)
        {
            Authkey.Create(authkey, force: false);
        }
        else if (Authkey.Load(authkey) is { Key: null, Problem: var problem })
        {
            throw new IOException($"{problem}; remove it to have a new one made (and copied to every node)");
        }

        File.WriteAllText(Path.Combine(directory, SetupPlan.CorosyncFile), CorosyncConfWriter.Write(config));
        File.WriteAllText(Path.Combine(directory, SetupPlan.ClusterFile), clusterFileText);
        return created;
    }
}
