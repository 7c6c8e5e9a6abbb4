using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Core.Configuration
{
    /// <summary>
    /// One profile as Get-IcaConfig shows it. The API key is never decrypted for display: only
    /// whether one is stored and how it is protected.
    /// </summary>
    public sealed class IcaConfig
    {
        public const string MaskedKey = "********";

        public IcaConfig(IcaProfile profile, string path)
        {
            Profile = profile.Name;
            ServerUrl = profile.Server.Display;
            OutputFormat = profile.OutputFormat;
            ColorMode = profile.ColorMode;
            HasApiKey = profile.HasApiKey;
            ApiKey = profile.HasApiKey ? MaskedKey : string.Empty;
            KeyProtection = SecretEnvelope.Describe(profile.ProtectedApiKey);
            ProjectId = profile.ProjectId;
            Path = path;
        }

        public string Profile { get; }

        public string ServerUrl { get; }

        public string OutputFormat { get; }

        public string ColorMode { get; }

        public bool HasApiKey { get; }

        /// <summary>A fixed mask when a key is stored, empty otherwise.</summary>
        public string ApiKey { get; }

        public string KeyProtection { get; }

        /// <summary>The project stored with Set-IcaConfig -ProjectId; null when none is.</summary>
        public string? ProjectId { get; }

        public string Path { get; }

        public override string ToString() => $"{Profile} ({ServerUrl})";
    }
}
