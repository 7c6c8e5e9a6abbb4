using System;

namespace IcaPowerShell.Core.Errors
{
    /// <summary>
    /// Every failure the engine reports to a user. The message is written for the person at the
    /// prompt: what failed, on which file or parameter, and what to do. It never holds a secret.
    /// </summary>
    public sealed class IcaException : Exception
    {
        public IcaException(string errorId, IcaErrorKind kind, string message, object? target = null, Exception? inner = null)
            : base(message, inner)
        {
            ErrorId = errorId;
            Kind = kind;
            Target = target;
        }

        /// <summary>A stable identifier that scripts and Pester tests match on (Should -Throw -ErrorId).</summary>
        /// <summary>The same error, its message led by where it happened ("-All stopped after 20 records were written.").</summary>
        public IcaException WithPrefix(string lead) => new IcaException(ErrorId, Kind, lead + " " + Message, Target, InnerException)
        {
            IcaErrorCode = IcaErrorCode,
            ErrorBody = ErrorBody,
            HttpStatus = HttpStatus,
        };

        public string ErrorId { get; }

        public IcaErrorKind Kind { get; }

        /// <summary>The file, parameter or server the error is about.</summary>
        public object? Target { get; }

        /// <summary>ICA's own error code (the problem+json title) when the server sent one.</summary>
        public string? IcaErrorCode { get; init; }

        /// <summary>The server's answer, secrets cut, for ErrorRecord.ErrorDetails (as Invoke-RestMethod gives it).</summary>
        public string? ErrorBody { get; init; }

        /// <summary>The HTTP status code when the error came from an HTTP answer.</summary>
        public int? HttpStatus { get; init; }
    }
}
