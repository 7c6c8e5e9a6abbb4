using System;
using System.IO;
using System.Security.Cryptography;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;

namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// Encrypts and decrypts API keys for one profile file. Writing picks, in order: the AES key in
    /// the environment (CI that restores a profile file), DPAPI when it works (Windows), else the
    /// AES key file beside the profile, created on first use. Reading follows the envelope's scheme.
    /// </summary>
    public sealed class SecretProtection
    {
        /// <summary>A key file holds 44 characters of base64 and perhaps a line end; anything far larger is not ours.</summary>
        public const int MaxKeyFileBytes = 1024;

        private readonly IEnvironment environment;
        private readonly Action<string> verbose;
        private readonly bool allowDpapi;

        // Deriving keys costs a file read and three HMACs; a profile load should not pay it every
        // time. Each cache holds the source it was built from and is rebuilt when that changes.
        private volatile CachedProtector? fromKeyFile;
        private volatile CachedProtector? fromEnvironment;

        public SecretProtection(string keyFilePath, IEnvironment environment, Action<string>? verbose = null, bool allowDpapi = true)
        {
            KeyFilePath = keyFilePath;
            this.environment = environment;
            this.verbose = verbose ?? (_ => { });
            this.allowDpapi = allowDpapi;
        }

        public string KeyFilePath { get; }

        /// <summary>
        /// Encrypts; creates the key file when that is the scheme and none exists yet. What it chose
        /// (DPAPI unusable, key file created) goes to <paramref name="verbose"/>: the calling cmdlet's stream.
        /// </summary>
        public byte[] Protect(byte[] plaintext, Action<string>? verbose = null)
        {
            var say = verbose ?? this.verbose;
            var environmentKey = EnvironmentKey();
            if (environmentKey != null)
            {
                return environmentKey.Protect(plaintext);
            }

            if (allowDpapi && UserOnlyAccess.IsWindows)
            {
                var unavailable = DpapiProtector.Unavailable;
                if (unavailable == null)
                {
                    return DpapiProtector.Protect(plaintext);
                }

                say($"DPAPI is not usable for this account ({unavailable}); encrypting with the key file '{KeyFilePath}' instead.");
            }

            return KeyFile(create: true, say)!.Protect(plaintext);
        }

        public byte[] Unprotect(byte[] envelope, string location)
        {
            if (envelope.Length < SecretEnvelope.HeaderLength || envelope[0] != SecretEnvelope.Version1)
            {
                throw new IcaException(
                    ErrorIds.SecretUnsupported,
                    IcaErrorKind.SecurityError,
                    $"The encrypted API key in {location} is in a format this version does not know (damaged, or written by a newer IcaPowerShell). Update the module or store the API key again with Set-IcaConfig -ApiKey.",
                    location);
            }

            switch (envelope[1])
            {
                case SecretEnvelope.SchemeDpapi:
                    return DpapiProtector.Unprotect(envelope, location);
                case SecretEnvelope.SchemeAesHmac:
                    var protector = EnvironmentKey() ?? KeyFile(create: false) ?? throw MissingKeyFile(location);
                    return protector.Unprotect(envelope, location);
                default:
                    throw new IcaException(
                        ErrorIds.SecretUnsupported,
                        IcaErrorKind.SecurityError,
                        $"The encrypted API key in {location} uses an unknown scheme ({envelope[1]}). Update the module or store the API key again with Set-IcaConfig -ApiKey.",
                        location);
            }
        }

        /// <summary>Makes a new random master key in the format the key file and the environment variable take.</summary>
        public static string NewKeyText()
        {
            var key = new byte[AesHmacProtector.MasterKeyLength];
            using (var random = RandomNumberGenerator.Create())
            {
                random.GetBytes(key);
            }

            return Convert.ToBase64String(key);
        }

        private AesHmacProtector? EnvironmentKey()
        {
            var text = environment.Get(EnvironmentVariables.EncryptionKey);
            if (text == null)
            {
                return null;
            }

            var cached = fromEnvironment;
            if (cached != null && ReferenceEquals(cached.Source, text))
            {
                return cached.Protector;
            }

            var key = DecodeKey(text) ?? throw new IcaException(
                ErrorIds.EnvironmentKeyInvalid,
                IcaErrorKind.InvalidArgument,
                $"The environment variable {EnvironmentVariables.EncryptionKey} must hold {AesHmacProtector.MasterKeyLength} bytes in base64 (44 characters). Make one with [Convert]::ToBase64String((1..32 | ForEach-Object {{ Get-Random -Maximum 256 }}) -as [byte[]]) or copy the key file's content.",
                EnvironmentVariables.EncryptionKey);
            var protector = new AesHmacProtector(key, $"the environment variable {EnvironmentVariables.EncryptionKey}");
            fromEnvironment = new CachedProtector(text, protector);
            return protector;
        }

        private AesHmacProtector? KeyFile(bool create, Action<string>? say = null)
        {
            // Before any use: a link, a folder, a device or another user's file is refused.
            FileTrust.CheckFile(KeyFilePath, "key file", ErrorIds.KeyFileInvalid);
            if (!File.Exists(KeyFilePath))
            {
                if (!create)
                {
                    return null;
                }

                CreateKeyFile(say ?? verbose);
            }

            var info = new FileInfo(KeyFilePath);
            var stamp = $"{info.LastWriteTimeUtc.Ticks}/{info.Length}";
            var cached = fromKeyFile;
            if (cached != null && cached.Source == stamp)
            {
                return cached.Protector;
            }

            var key = DecodeKey(ReadKeyFile()) ?? throw new IcaException(
                ErrorIds.KeyFileInvalid,
                IcaErrorKind.InvalidData,
                $"The key file '{KeyFilePath}' does not hold a {AesHmacProtector.MasterKeyLength}-byte base64 key. Restore it from a backup, or remove it with Reset-IcaConfig -All and store your API keys again.",
                KeyFilePath);
            var fromFile = new AesHmacProtector(key, $"the key file '{KeyFilePath}'");
            fromKeyFile = new CachedProtector(stamp, fromFile);
            return fromFile;
        }

        /// <summary>Reads at most <see cref="MaxKeyFileBytes"/>, never through a link, from a regular file of ours.</summary>
        private string ReadKeyFile()
        {
            try
            {
                using (var stream = UnixFiles.IsUnix ? UnixFiles.OpenReadNoFollow(KeyFilePath) : new FileStream(KeyFilePath, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    if (UnixFiles.IsUnix)
                    {
                        FileTrust.CheckOpened(stream.SafeFileHandle, KeyFilePath, "key file", ErrorIds.KeyFileInvalid);
                    }

                    var buffer = new byte[MaxKeyFileBytes + 1];
                    var read = 0;
                    int count;
                    while (read < buffer.Length && (count = stream.Read(buffer, read, buffer.Length - read)) > 0)
                    {
                        read += count;
                    }

                    if (read > MaxKeyFileBytes)
                    {
                        throw new IcaException(ErrorIds.KeyFileInvalid, IcaErrorKind.InvalidData, $"The key file '{KeyFilePath}' is larger than {MaxKeyFileBytes} bytes, so it is not a key file this module wrote. Restore it from a backup, or remove it with Reset-IcaConfig -All and store your API keys again.", KeyFilePath);
                    }

                    return System.Text.Encoding.ASCII.GetString(buffer, 0, read);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IcaException(ErrorIds.KeyFileInvalid, IcaErrorKind.PermissionDenied, $"Cannot read the key file '{KeyFilePath}': {ex.Message}", KeyFilePath, ex);
            }
        }

        private void CreateKeyFile(Action<string> say)
        {
            // Atomic: a process killed while creating the key must not leave an empty key file
            // behind, which would make every later write fail (the crash test found exactly that).
            if (AtomicFile.CreateNew(KeyFilePath, NewKeyText()))
            {
                say($"Created the encryption key file '{KeyFilePath}' (readable by the current user only).");
            }
        }

        private static byte[]? DecodeKey(string text)
        {
            try
            {
                var key = Convert.FromBase64String(text.Trim());
                return key.Length == AesHmacProtector.MasterKeyLength ? key : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }

        private sealed class CachedProtector
        {
            public CachedProtector(string source, AesHmacProtector protector)
            {
                Source = source;
                Protector = protector;
            }

            public string Source { get; }

            public AesHmacProtector Protector { get; }
        }

        private IcaException MissingKeyFile(string location) => new IcaException(
            ErrorIds.KeyFileMissing,
            IcaErrorKind.ObjectNotFound,
            $"The API key in {location} was encrypted with the key file '{KeyFilePath}', which does not exist. Restore that file, set {EnvironmentVariables.EncryptionKey} to its content, or store the API key again with Set-IcaConfig -ApiKey.",
            KeyFilePath);
    }
}
