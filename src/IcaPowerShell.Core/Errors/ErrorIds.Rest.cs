namespace IcaPowerShell.Core.Errors
{
    /// <summary>Invoke-IcaRestMethod's own error ids (kept apart so that the REST path's ids read as one list).</summary>
    public static partial class ErrorIds
    {
        public const string InvalidHeader = "IcaInvalidHeader";
        public const string HeaderNotAllowed = "IcaHeaderNotAllowed";
        public const string InvalidPath = "IcaInvalidPath";
        public const string PagingLoop = "IcaPagingLoop";
        public const string ResponseTooLarge = "IcaResponseTooLarge";
        public const string OutFileInvalid = "IcaOutFileInvalid";
        public const string OutFileFailed = "IcaOutFileFailed";
        public const string ParameterConflict = "IcaParameterConflict";
        public const string BodyNotAllowed = "IcaBodyNotAllowed";
    }
}
