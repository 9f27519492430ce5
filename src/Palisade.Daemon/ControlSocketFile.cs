using System.Net.Sockets;
using System.Security.Cryptography;

namespace Palisade.Daemon;

/// <summary>
/// Creates the control socket so that it is never reachable by anyone but its owner: bound inside a fresh directory
/// made 0700, given mode 0600 there, and only then renamed to its public path. Binding at the public path and
/// changing the mode afterwards would leave a moment in which the umask's mode applies.
/// </summary>
internal static class ControlSocketFile
{
    private const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerOnlySocket = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Binds <paramref name="listener"/> and leaves its socket file at <paramref name="path"/>, mode 0600.</summary>
    public static void Bind(Socket listener, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var staging = Path.Combine(directory, $".palisaded-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}");
        // mkdir with mode 0700 is atomic; a name that already exists is not trusted (its mode is whatever it was).
        if (Directory.Exists(staging))
        {
            throw new IOException($"cannot create the control socket: {staging} already exists");
        }

        Directory.CreateDirectory(staging, OwnerOnlyDirectory);
        try
        {
            var staged = Path.Combine(staging, "s");
            listener.Bind(new UnixDomainSocketEndPoint(staged));
            File.SetUnixFileMode(staged, OwnerOnlySocket);
            File.Move(staged, path, overwrite: true);
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
