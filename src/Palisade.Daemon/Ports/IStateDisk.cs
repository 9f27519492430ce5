namespace Palisade.Daemon;

/// <summary>This node's persistent state directory: whole files, read at start and replaced atomically.</summary>
internal interface IStateDisk
{
    /// <summary>Where <paramref name="name"/> lives, for messages.</summary>
    string PathOf(string name);

    /// <summary>The file's contents, or null when it does not exist.</summary>
    /// <exception cref="IOException">the file exists but cannot be read.</exception>
    string? Read(string name);

    /// <summary>
    /// Replaces the file in one step, synced to disk before it replaces the old one: a crash leaves the old contents or
    /// the new, never a mix.
    /// </summary>
    /// <exception cref="IOException">the file cannot be written.</exception>
    void Write(string name, string contents);
}

/// <summary>The real disk: files in the state directory (default /var/lib/palisade).</summary>
internal sealed class DirectoryStateDisk(string directory) : IStateDisk
{
    public string PathOf(string name) => Path.Combine(directory, name);

    public string? Read(string name)
    {
        var path = PathOf(name);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void Write(string name, string contents)
    {
        Directory.CreateDirectory(directory);
        var path = PathOf(name);
        var temporary = path + ".new";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(System.Text.Encoding.UTF8.GetBytes(contents));
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
