namespace IcaPowerShell.Core.Errors
{
    /// <summary>The error identifiers the module documents; they are part of its public contract.</summary>
    public static partial class ErrorIds
    {
        public const string InvalidProfileName = "IcaInvalidProfileName";
        public const string InvalidServerUrl = "IcaInvalidServerUrl";
        public const string InvalidSetting = "IcaInvalidSetting";
        public const string EmptyApiKey = "IcaEmptyApiKey";
        public const string ApiKeyRequired = "IcaApiKeyRequired";
        public const string NoHomeFolder = "IcaNoHomeFolder";
        public const string ConfigPathIsIcav2File = "IcaConfigPathIsIcav2File";
        public const string ConfigFileUnreadable = "IcaConfigFileUnreadable";
        public const string ConfigFileInvalid = "IcaConfigFileInvalid";
        public const string ConfigFileTooLarge = "IcaConfigFileTooLarge";
        public const string ConfigFileReadOnly = "IcaConfigFileReadOnly";
        public const string ConfigFolderUnavailable = "IcaConfigFolderUnavailable";
        public const string ConfigLockTimeout = "IcaConfigLockTimeout";
        public const string ProfileNotFound = "IcaProfileNotFound";
        public const string ContextNothingToSet = "IcaContextNothingToSet";
        public const string ContextVariableChanged = "IcaContextVariableChanged";
        public const string ProjectRequired = "IcaProjectRequired";
        public const string ProjectNotFound = "IcaProjectNotFound";
        public const string ProjectAmbiguous = "IcaProjectAmbiguous";
        public const string InvalidProjectId = "IcaInvalidProjectId";
        public const string KeyFileInvalid = "IcaKeyFileInvalid";
        public const string KeyFileMissing = "IcaKeyFileMissing";
        public const string EnvironmentKeyInvalid = "IcaEnvironmentKeyInvalid";
        public const string SecretWrongKey = "IcaSecretWrongKey";
        public const string SecretTampered = "IcaSecretTampered";
        public const string SecretUnsupported = "IcaSecretUnsupported";
        public const string ApiKeyRejected = "IcaApiKeyRejected";
        public const string CredentialRejected = "IcaCredentialRejected";
        public const string AccessDenied = "IcaAccessDenied";
        public const string RateLimited = "IcaRateLimited";
        public const string ServerError = "IcaServerError";
        public const string BadRequest = "IcaBadRequest";
        public const string Timeout = "IcaTimeout";
        public const string ConnectionFailed = "IcaConnectionFailed";
        public const string TlsFailed = "IcaTlsFailed";
        public const string InvalidResponse = "IcaInvalidResponse";
        public const string EnvironmentTokenExpired = "IcaEnvironmentTokenExpired";
        public const string EnvironmentTokenInvalid = "IcaEnvironmentTokenInvalid";
        public const string EnvironmentTokenOtherServer = "IcaEnvironmentTokenOtherServer";
        public const string ConfirmationRequired = "IcaConfirmationRequired";
        public const string InsecureServer = "IcaInsecureServer";
        public const string FileAccessFailed = "IcaFileAccessFailed";
        public const string InvalidApiKey = "IcaInvalidApiKey";
        public const string ForeignHost = "IcaForeignHost";
        public const string OutFileRequired = "IcaOutFileRequired";
        public const string UnsupportedBody = "IcaUnsupportedBody";
        public const string UnsafePermissions = "IcaUnsafePermissions";
        public const string TokenExpiredOnArrival = "IcaTokenExpiredOnArrival";
        public const string PathRequired = "IcaPathRequired";
        public const string InvalidMethod = "IcaInvalidMethod";
    }
}
