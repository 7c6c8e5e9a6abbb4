using System.Management.Automation;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Hosting
{
    /// <summary>Turns the engine's errors into ErrorRecords with their stable id, category and target.</summary>
    internal static class ErrorMapping
    {
        public static ErrorRecord ToErrorRecord(IcaException exception)
        {
            var record = new ErrorRecord(exception, exception.ErrorId, Category(exception.Kind), exception.Target);
            if (!string.IsNullOrEmpty(exception.ErrorBody))
            {
                // Where Invoke-RestMethod users read the server's answer: $_.ErrorDetails.Message | ConvertFrom-Json.
                record.ErrorDetails = new ErrorDetails(exception.ErrorBody) { RecommendedAction = exception.Message };
            }

            return record;
        }

        public static ErrorRecord FileAccessFailed(System.Exception exception, string? path) => new ErrorRecord(
            new IcaException(
                ErrorIds.FileAccessFailed,
                exception is System.UnauthorizedAccessException ? IcaErrorKind.PermissionDenied : IcaErrorKind.ResourceUnavailable,
                $"A profile file could not be read or written: {exception.Message} Check the folder's permissions and free space, or use another file with -Path.",
                path,
                exception),
            ErrorIds.FileAccessFailed,
            exception is System.UnauthorizedAccessException ? ErrorCategory.PermissionDenied : ErrorCategory.WriteError,
            path);

        public static ErrorCategory Category(IcaErrorKind kind)
        {
            switch (kind)
            {
                case IcaErrorKind.InvalidArgument: return ErrorCategory.InvalidArgument;
                case IcaErrorKind.InvalidData: return ErrorCategory.InvalidData;
                case IcaErrorKind.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case IcaErrorKind.PermissionDenied: return ErrorCategory.PermissionDenied;
                case IcaErrorKind.AuthenticationError: return ErrorCategory.AuthenticationError;
                case IcaErrorKind.SecurityError: return ErrorCategory.SecurityError;
                case IcaErrorKind.ResourceUnavailable: return ErrorCategory.ResourceUnavailable;
                case IcaErrorKind.OperationTimeout: return ErrorCategory.OperationTimeout;
                case IcaErrorKind.ConnectionError: return ErrorCategory.ConnectionError;
                case IcaErrorKind.ProtocolError: return ErrorCategory.ProtocolError;
                case IcaErrorKind.LimitsExceeded: return ErrorCategory.LimitsExceeded;
                case IcaErrorKind.ResourceExists: return ErrorCategory.ResourceExists;
                case IcaErrorKind.ResourceBusy: return ErrorCategory.ResourceBusy;
                default: return ErrorCategory.InvalidOperation;
            }
        }
    }
}
