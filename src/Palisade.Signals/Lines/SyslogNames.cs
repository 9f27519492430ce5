namespace Palisade.Signals;

/// <summary>The facility and level words <c>dmesg -x</c> and syslog templates print, as numbers.</summary>
internal static class SyslogNames
{
    /// <summary>The facility of messages the kernel itself logs.</summary>
    public const int KernelFacility = 0;

    private static readonly Dictionary<string, int> Facilities = new(StringComparer.Ordinal)
    {
        ["kern"] = 0, ["user"] = 1, ["mail"] = 2, ["daemon"] = 3, ["auth"] = 4, ["syslog"] = 5, ["lpr"] = 6, ["news"] = 7,
        ["uucp"] = 8, ["cron"] = 9, ["authpriv"] = 10, ["ftp"] = 11, ["local0"] = 16, ["local1"] = 17, ["local2"] = 18,
        ["local3"] = 19, ["local4"] = 20, ["local5"] = 21, ["local6"] = 22, ["local7"] = 23,
    };

    private static readonly Dictionary<string, KernelLogLevel> Levels = new(StringComparer.Ordinal)
    {
        ["emerg"] = KernelLogLevel.Emergency, ["alert"] = KernelLogLevel.Alert, ["crit"] = KernelLogLevel.Critical,
        ["err"] = KernelLogLevel.Error, ["warn"] = KernelLogLevel.Warning, ["warning"] = KernelLogLevel.Warning,
        ["notice"] = KernelLogLevel.Notice, ["info"] = KernelLogLevel.Info, ["debug"] = KernelLogLevel.Debug,
    };

    public static int? Facility(string word) => Facilities.TryGetValue(word, out var number) ? number : null;

    public static KernelLogLevel? Level(string word) => Levels.TryGetValue(word, out var level) ? level : null;
}
