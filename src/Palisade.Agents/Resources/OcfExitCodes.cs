namespace Palisade.Agents;

/// <summary>The exit codes of the OCF resource agent API and their standard names.</summary>
internal static class OcfExitCodes
{
    public const int Success = 0;
    public const int NotRunning = 7;
    public const int RunningMaster = 8;

    private static readonly string[] Names =
    [
        "OCF_SUCCESS",
        "OCF_ERR_GENERIC",
        "OCF_ERR_ARGS",
        "OCF_ERR_UNIMPLEMENTED",
        "OCF_ERR_PERM",
        "OCF_ERR_INSTALLED",
        "OCF_ERR_CONFIGURED",
        "OCF_NOT_RUNNING",
        "OCF_RUNNING_MASTER",
        "OCF_FAILED_MASTER",
    ];

    /// <summary>"OCF_ERR_GENERIC" for 1; codes outside the standard set are shown as such.</summary>
    public static string Name(int code) =>
        code >= 0 && code < Names.Length ? Names[code] : $"non-OCF code {code}";
}
