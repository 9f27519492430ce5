namespace Palisade.Corosync;

/// <summary>A corosync library call failed. <see cref="ErrorCode"/> is the cs_error_t value (CS_ERR_LIBRARY = 2, ...).</summary>
public sealed class CorosyncException : Exception
{
    public CorosyncException(string message, int errorCode)
        : base(message)
    {
        ErrorCode = errorCode;
    }

    public CorosyncException(string message, int errorCode, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
    }

    /// <summary>The cs_error_t value reported by corosync.</summary>
    public int ErrorCode { get; }
}
