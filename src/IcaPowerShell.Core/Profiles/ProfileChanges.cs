using System.Security;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// What Set-IcaConfig was asked to change. A null member means "not bound": the stored value
    /// is kept, as Set-SecretStoreConfiguration does with its bound parameters.
    /// </summary>
    public sealed class ProfileChanges
    {
        public ServerAddress? Server { get; set; }

        public SecureString? ApiKey { get; set; }

        public string? OutputFormat { get; set; }

        public string? ColorMode { get; set; }

        /// <summary>A project id to store (already checked with <see cref="ProjectIdText"/>).</summary>
        public string? ProjectId { get; set; }

        /// <summary>Remove the stored project id (Set-IcaConfig -ClearProjectId).</summary>
        public bool ClearProjectId { get; set; }

        public bool IsEmpty => Server == null && ApiKey == null && OutputFormat == null && ColorMode == null && ProjectId == null && !ClearProjectId;
    }
}
