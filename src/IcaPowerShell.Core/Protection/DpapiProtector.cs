using System;
using System.Security.Cryptography;
using System.Text;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// Windows DPAPI for the current user. It is probed before use: it fails on Nano Server and for
    /// accounts without a loaded user profile (some services and runbook workers), as the AWS SDK
    /// found; the probe's outcome is kept for the life of the process.
    /// </summary>
    internal static class DpapiProtector
    {
        private static readonly byte[] Entropy = Encoding.UTF8.GetBytes("IcaPowerShell v1 api key");
        private static readonly Lazy<string?> ProbeFailure = new Lazy<string?>(Probe);

        /// <summary>Null when DPAPI works here; otherwise why it does not.</summary>
        public static string? Unavailable => Files.UserOnlyAccess.IsWindows ? ProbeFailure.Value : "DPAPI exists only on Windows";

        public static byte[] Protect(byte[] plaintext)
        {
            var blob = ProtectedData.Protect(plaintext, Entropy, DataProtectionScope.CurrentUser);
            var envelope = new byte[SecretEnvelope.HeaderLength + blob.Length];
            envelope[0] = SecretEnvelope.Version1;
            envelope[1] = SecretEnvelope.SchemeDpapi;
            Buffer.BlockCopy(blob, 0, envelope, SecretEnvelope.HeaderLength, blob.Length);
            return envelope;
        }

        public static byte[] Unprotect(byte[] envelope, string location)
        {
            if (Unavailable != null)
            {
                throw new IcaException(
                    ErrorIds.SecretUnsupported,
                    IcaErrorKind.SecurityError,
                    $"The API key in {location} was encrypted with Windows DPAPI, which cannot be used here ({Unavailable}). Store the API key again on this machine with Set-IcaConfig -ApiKey.",
                    location);
            }

            var blob = new byte[envelope.Length - SecretEnvelope.HeaderLength];
            Buffer.BlockCopy(envelope, SecretEnvelope.HeaderLength, blob, 0, blob.Length);
            try
            {
                return ProtectedData.Unprotect(blob, Entropy, DataProtectionScope.CurrentUser);
            }
            catch (CryptographicException ex)
            {
                throw new IcaException(
                    ErrorIds.SecretWrongKey,
                    IcaErrorKind.SecurityError,
                    $"The API key in {location} cannot be decrypted with this Windows account's DPAPI key ({ex.Message.Trim()}). DPAPI keys belong to one account on one machine: this happens when the file comes from another user or machine, after an administrator reset the account's password, or when the account now runs without its user profile loaded (a service, a scheduled task, an Azure Automation or pipeline worker). "
                        + $"Store the API key again in this account with Set-IcaConfig -ApiKey: where DPAPI cannot be used the module then encrypts with a key file beside the profile (same name, .key) instead; or supply the key for CI with $env:{Configuration.EnvironmentVariables.EncryptionKey}.",
                    location,
                    ex);
            }
        }

        private static string? Probe()
        {
            try
            {
                var probe = new byte[] { 1, 2, 3, 4 };
                var back = ProtectedData.Unprotect(ProtectedData.Protect(probe, Entropy, DataProtectionScope.CurrentUser), Entropy, DataProtectionScope.CurrentUser);
                return back.Length == probe.Length ? null : "the DPAPI probe returned other bytes";
            }
            catch (Exception ex) when (ex is CryptographicException || ex is PlatformNotSupportedException)
            {
                return ex.Message;
            }
        }
    }
}
