namespace Palisade.Daemon;

/// <summary>Turns debug output of the shutdown daemon and its agents on and off at run time (<c>palisade sd -d</c>).</summary>
internal sealed class DebugSwitch
{
    private volatile bool _on;

    public bool On
    {
        get => _on;
        set => _on = value;
    }

    /// <summary>The logging filter: Information and above always; Debug for shutdown categories while switched on.</summary>
    public bool Allows(string? category, Microsoft.Extensions.Logging.LogLevel level) =>
        level >= Microsoft.Extensions.Logging.LogLevel.Information
        || (_on && category is not null
            && (category.StartsWith(SdLog.Category, StringComparison.Ordinal) || category.StartsWith("Palisade.Agents", StringComparison.Ordinal)));
}
