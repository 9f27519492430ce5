namespace Palisade.Agents;

/// <summary>
/// Which resources without a monitor command palisaded started on this node since it booted: one empty file per
/// resource under a directory on tmpfs (<c>started/</c> beside the control socket, <c>/run/palisade/started</c>), written before the start command runs and
/// removed once a stop worked. A reboot empties <c>/run</c>, and with it every marker. Such a resource is running
/// exactly when its marker is there: never "assumed running", and a palisaded killed during a start finds it marked.
/// </summary>
public sealed class StartMarkers(string directory)
{
    public string Directory { get; } = directory;

    /// <summary>Records that a start is about to run; the reason when it cannot be recorded (then nothing is started).</summary>
    public string? Mark(string group, string resource)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Path.Combine(Directory, group));
            File.WriteAllBytes(PathOf(group, resource), []);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot record the start in {PathOf(group, resource)}: {e.Message}";
        }
    }

    /// <summary>Forgets the start after a stop that worked; the reason when the marker stays (the resource then still counts as running).</summary>
    public string? Clear(string group, string resource)
    {
        try
        {
            File.Delete(PathOf(group, resource));
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot remove {PathOf(group, resource)}: {e.Message}";
        }
    }

    public bool IsMarked(string group, string resource) => File.Exists(PathOf(group, resource));

    private string PathOf(string group, string resource) => Path.Combine(Directory, group, resource);
}
