namespace IcaPowerShell.Core.Errors
{
    /// <summary>
    /// What went wrong, in terms the cmdlet layer maps one-to-one onto PowerShell's ErrorCategory.
    /// The engine cannot name ErrorCategory itself: it has no reference to System.Management.Automation.
    /// </summary>
    public enum IcaErrorKind
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        PermissionDenied,
        AuthenticationError,
        SecurityError,
        ResourceUnavailable,
        OperationTimeout,
        ConnectionError,
        ProtocolError,
        LimitsExceeded,
        InvalidOperation,
        ResourceExists,
        ResourceBusy,
    }
}
