using System.Security.Cryptography;
using Palisade.Core.Shutdown;

namespace Palisade.Configuration;

/// <summary>
/// The corosync authkey file: raw random bytes, the same file on every node (root, mode 0400). Corosync encrypts
/// the interconnect with it; palisaded signs partition adverts with it.
/// </summary>
public static class Authkey
{
    /// <summary>What corosync-keygen writes by default.</summary>
    public const int DefaultBytes = 256;

    private const UnixFileMode OwnerReadOnly = UnixFileMode.UserRead;

    /// <summary>
    /// Writes <see cref="DefaultBytes"/> fresh random bytes to <paramref name="path"/>, mode 0400 from the moment the
    /// file exists. An existing file is kept unless <paramref name="force"/>; throws <see cref="IOException"/> saying why.
    /// </summary>
    public static void Create(string path, bool force)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (!force && (File.Exists(full) || Directory.Exists(full)))
        {
            throw new IOException($"{full} already exists; it was left unchanged (use --force to replace it, then copy the new key to every node)");
        }

        var directory = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(directory))
        {
            throw new IOException($"cannot write {full}: the directory {directory} does not exist");
        }

        // Written under a private name first, so that no reader ever sees a partial key or a wider mode.
        var temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerReadOnly };
        try
        {
            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(RandomNumberGenerator.GetBytes(DefaultBytes));
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: force);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IOException($"cannot write {full}: {e.Message}", e);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>The key in <paramref name="path"/>, or why it cannot be used (the sentence names the file).</summary>
    public static (ClusterKey? Key, string? Problem) Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, $"{path}: cannot read the cluster authkey: {e.Message.TrimEnd('.')}");
        }

        var (key, problem) = ClusterKey.FromBytes(bytes);
        try
        {
            return key is null ? (null, $"{path}: {problem} (make one with 'palisade config authkey')") : (key, null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }
}
