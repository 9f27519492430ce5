namespace Palisade.Scenarios;

/// <summary>Reads what was appended to a file since the last call.</summary>
internal sealed class LogTail(string path)
{
    private long _offset = File.Exists(path) ? new FileInfo(path).Length : 0;
    private string _partial = "";

    public IReadOnlyList<string> ReadNew()
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        if (stream.Length < _offset)
        {
            _offset = 0; // the file was replaced (node rebooted with a fresh log)
        }

        stream.Seek(_offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        var text = _partial + reader.ReadToEnd();
        _offset = stream.Length;
        var lines = text.Split('\n');
        _partial = lines[^1];
        return lines[..^1];
    }
}
