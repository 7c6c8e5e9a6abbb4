using System;
using System.Security;
using System.Security.Cryptography;
using System.Text;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Core.Tokens
{
    /// <summary>What a token is minted with: an API key, or an e-mail and password (Basic) with an optional tenant.</summary>
    public abstract class IcaCredential
    {
        // Cache keys are HMACs under a per-process random key: equal credentials give equal keys,
        // and the key reveals nothing about the secret, even in a memory dump of this dictionary.
        // Both are computed on first use: a token from $env:ICAV2_X_API_KEY never needs one, and
        // starting the platform's crypto costs a fresh process several milliseconds.
        private static readonly Lazy<byte[]> FingerprintKey = new Lazy<byte[]>(RandomKey);
        private readonly Lazy<string> fingerprint;

        protected IcaCredential(Func<string> computeFingerprint)
        {
            fingerprint = new Lazy<string>(computeFingerprint);
        }

        /// <summary>Identifies the credential within this process without holding it.</summary>
        public string Fingerprint => fingerprint.Value;

        /// <summary>The same credential: the same object, or equal fingerprints.</summary>
        public bool SameAs(IcaCredential other) => ReferenceEquals(this, other) || Fingerprint == other.Fingerprint;

        /// <summary>
        /// A fingerprint that other processes can recompute: an HMAC under KEY (a random salt kept,
        /// encrypted, with a kept token), never a plain hash of the secret.
        /// </summary>
        internal abstract string FingerprintUnder(byte[] key);

        protected static string ComputeFingerprint(string kind, params byte[][] parts) => ComputeFingerprint(FingerprintKey.Value, kind, parts);

        protected static string ComputeFingerprint(byte[] key, string kind, params byte[][] parts)
        {
            using (var hmac = new HMACSHA256(key))
            {
                var kindBytes = Encoding.UTF8.GetBytes(kind + "\0");
                hmac.TransformBlock(kindBytes, 0, kindBytes.Length, null, 0);
                foreach (var part in parts)
                {
                    var length = BitConverter.GetBytes(part.Length);
                    hmac.TransformBlock(length, 0, length.Length, null, 0);
                    hmac.TransformBlock(part, 0, part.Length, null, 0);
                }

                hmac.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
                return kind + ":" + Convert.ToBase64String(hmac.Hash!);
            }
        }

        private static byte[] RandomKey()
        {
            var key = new byte[32];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(key);
            }

            return key;
        }
    }

    public sealed class ApiKeyCredential : IcaCredential
    {
        public ApiKeyCredential(SecureString apiKey)
            : base(() => FingerprintOf(apiKey))
        {
            ApiKey = apiKey;
        }

        public SecureString ApiKey { get; }

        internal override string FingerprintUnder(byte[] key) => FingerprintOf(ApiKey, key);

        private static string FingerprintOf(SecureString apiKey, byte[]? key = null)
        {
            var bytes = SecretText.ToUtf8(apiKey);
            try
            {
                return key == null ? ComputeFingerprint("apikey", bytes) : ComputeFingerprint(key, "apikey", bytes);
            }
            finally
            {
                Array.Clear(bytes, 0, bytes.Length);
            }
        }
    }

    public sealed class BasicCredential : IcaCredential
    {
        public BasicCredential(string userName, SecureString password, string? tenant)
            : base(() => FingerprintOf(userName, password, tenant))
        {
            UserName = userName;
            Password = password;
            Tenant = string.IsNullOrWhiteSpace(tenant) ? null : tenant;
        }

        public string UserName { get; }

        public SecureString Password { get; }

        public string? Tenant { get; }

        internal override string FingerprintUnder(byte[] key) => FingerprintOf(UserName, Password, Tenant, key);

        private static string FingerprintOf(string userName, SecureString password, string? tenant, byte[]? key = null)
        {
            var secret = SecretText.ToUtf8(password);
            try
            {
                var parts = new[] { Encoding.UTF8.GetBytes(userName), secret, Encoding.UTF8.GetBytes(tenant ?? string.Empty) };
                return key == null ? ComputeFingerprint("basic", parts) : ComputeFingerprint(key, "basic", parts);
            }
            finally
            {
                Array.Clear(secret, 0, secret.Length);
            }
        }
    }
}
