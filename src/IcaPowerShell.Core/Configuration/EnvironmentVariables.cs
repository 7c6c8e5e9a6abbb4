namespace IcaPowerShell.Core.Configuration
{
    /// <summary>
    /// The environment variables the module reads. The ICAV2_* names are icav2's own, so a pipeline
    /// set up for icav2 works unchanged; the ICAPOWERSHELL_* names are this module's.
    /// </summary>
    public static class EnvironmentVariables
    {
        public const string AccessToken = "ICAV2_ACCESS_TOKEN";
        public const string ApiKey = "ICAV2_X_API_KEY";
        public const string ServerUrl = "ICAV2_SERVER_URL";
        public const string Profile = "ICAV2_PROFILE";
        /// <summary>The project that fills {projectId} in API paths when Set-IcaContext set none.</summary>
        public const string ProjectId = "ICAV2_PROJECT_ID";

        public const string NoRetryRateLimiting = "ICAV2_ICA_NO_RETRY_RATE_LIMITING";

        /// <summary>Full path of the profile file, for runbooks without a home folder and for tests.</summary>
        public const string ConfigPath = "ICAPOWERSHELL_CONFIG_PATH";

        /// <summary>A base64 AES key (32 bytes) used instead of the key file, for CI that restores a profile file.</summary>
        public const string EncryptionKey = "ICAPOWERSHELL_ENCRYPTION_KEY";

        /// <summary>'0' or 'false' keeps profile tokens in this runspace only, never in a file for other processes.</summary>
        public const string KeepTokens = "ICAPOWERSHELL_KEEP_TOKENS";
    }
}
