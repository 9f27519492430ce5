namespace Palisade.Corosync.Native;

/// <summary>corosync's cs_error_t (corotypes.h).</summary>
internal enum CsError
{
    Ok = 1,
    ErrLibrary = 2,
    Version = 3,
    Init = 4,
    Timeout = 5,
    TryAgain = 6,
    InvalidParam = 7,
    NoMemory = 8,
    BadHandle = 9,
    Busy = 10,
    Access = 11,
    NotExist = 12,
    NameTooLong = 13,
    Exist = 14,
    NoSpace = 15,
    Interrupt = 16,
    NameNotFound = 17,
    NoResources = 18,
    NotSupported = 19,
    BadOperation = 20,
    FailedOperation = 21,
    MessageError = 22,
    QueueFull = 23,
    QueueNotAvailable = 24,
    BadFlags = 25,
    TooBig = 26,
    NoSections = 27,
    ContextNotFound = 28,
    TooManyGroups = 30,
    Security = 100,
}

internal static class CsErrorText
{
    /// <summary>The C constant name and number, e.g. "CS_ERR_LIBRARY (2)", so messages match corosync's own docs.</summary>
    public static string Describe(CsError error) => $"{ConstantName(error)} ({(int)error})";

    private static string ConstantName(CsError error) => error switch
    {
        CsError.Ok => "CS_OK",
        CsError.ErrLibrary => "CS_ERR_LIBRARY",
        CsError.Version => "CS_ERR_VERSION",
        CsError.Init => "CS_ERR_INIT",
        CsError.Timeout => "CS_ERR_TIMEOUT",
        CsError.TryAgain => "CS_ERR_TRY_AGAIN",
        CsError.InvalidParam => "CS_ERR_INVALID_PARAM",
        CsError.NoMemory => "CS_ERR_NO_MEMORY",
        CsError.BadHandle => "CS_ERR_BAD_HANDLE",
        CsError.Busy => "CS_ERR_BUSY",
        CsError.Access => "CS_ERR_ACCESS",
        CsError.NotExist => "CS_ERR_NOT_EXIST",
        CsError.NameTooLong => "CS_ERR_NAME_TOO_LONG",
        CsError.Exist => "CS_ERR_EXIST",
        CsError.NoSpace => "CS_ERR_NO_SPACE",
        CsError.Interrupt => "CS_ERR_INTERRUPT",
        CsError.NameNotFound => "CS_ERR_NAME_NOT_FOUND",
        CsError.NoResources => "CS_ERR_NO_RESOURCES",
        CsError.NotSupported => "CS_ERR_NOT_SUPPORTED",
        CsError.BadOperation => "CS_ERR_BAD_OPERATION",
        CsError.FailedOperation => "CS_ERR_FAILED_OPERATION",
        CsError.MessageError => "CS_ERR_MESSAGE_ERROR",
        CsError.QueueFull => "CS_ERR_QUEUE_FULL",
        CsError.QueueNotAvailable => "CS_ERR_QUEUE_NOT_AVAILABLE",
        CsError.BadFlags => "CS_ERR_BAD_FLAGS",
        CsError.TooBig => "CS_ERR_TOO_BIG",
        CsError.NoSections => "CS_ERR_NO_SECTIONS",
        CsError.ContextNotFound => "CS_ERR_CONTEXT_NOT_FOUND",
        CsError.TooManyGroups => "CS_ERR_TOO_MANY_GROUPS",
        CsError.Security => "CS_ERR_SECURITY",
        _ => "CS_ERR_UNKNOWN",
    };
}
