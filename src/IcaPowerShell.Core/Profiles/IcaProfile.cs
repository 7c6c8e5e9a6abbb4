namespace IcaPowerShell.Core.Profiles
{
    /// <summary>One profile as stored: the API key stays in its encrypted envelope.</summary>
    public sealed class IcaProfile
    {
        public IcaProfile(string name, ServerAddress server, string outputFormat, string colorMode, byte[]? protectedApiKey, string? projectId = null)
        {
            Name = name;
            Server = server;
            OutputFormat = outputFormat;
            ColorMode = colorMode;
            ProtectedApiKey = protectedApiKey;
            ProjectId = projectId;
        }

        public string Name { get; }

        public ServerAddress Server { get; }

        public string OutputFormat { get; }

        public string ColorMode { get; }

        /// <summary>The envelope written by <see cref="Protection.SecretProtection"/>, or null when no key is stored.</summary>
        public byte[]? ProtectedApiKey { get; }

        /// <summary>The project stored with Set-IcaConfig -ProjectId (key project-id); null when none is.</summary>
        public string? ProjectId { get; }

        public bool HasApiKey => ProtectedApiKey != null && ProtectedApiKey.Length > 0;
    }
}
