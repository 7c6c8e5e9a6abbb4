namespace IcaPowerShell.Core.Profiles
{
    /// <summary>One profile as stored: the API key stays in its encrypted envelope.</summary>
    public sealed class IcaProfile
    {
        public IcaProfile(string name, ServerAddress server, string outputFormat, string colorMode, byte[]? protectedApiKey)
        {
            Name = name;
            Server = server;
            OutputFormat = outputFormat;
            ColorMode = colorMode;
            ProtectedApiKey = protectedApiKey;
        }

        public string Name { get; }

        public ServerAddress Server { get; }

        public string OutputFormat { get; }

        public string ColorMode { get; }

        /// <summary>The envelope written by <see cref="Protection.SecretProtection"/>, or null when no key is stored.</summary>
        public byte[]? ProtectedApiKey { get; }

        public bool HasApiKey => ProtectedApiKey != null && ProtectedApiKey.Length > 0;
    }
}
