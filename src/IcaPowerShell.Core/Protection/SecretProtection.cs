using System;
using System.IO;
using System.Security.Cryptography;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Diagnostics;
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
        // time. Each is built again when its source (the key file's stamp, the variable) changes.
        private readonly Memo<(long Ticks, long Length), AesHmacProtector> fromKeyFile = new Memo<(long Ticks, long Length), AesHmacProtector>();
        private readonly Memo<string, AesHmacProtector> fromEnvironment = new Memo<string, AesHmacProtector>();

        public SecretProtection(string keyFilePath, IEnvironment environment, Action<string>? verbose = null, bool allowDpapi = true)
        {
            KeyFilePath = keyFilePath;
            this.environment = environment;
            // Without a sink of its own it speaks to the running cmdlet's verbose stream.
            this.verbose = verbose ?? EngineLog.Verbose;
            this.allowDpapi = allowDpapi;
        }

        public string KeyFilePath { get; }

        /// <summary>
        /// Encrypts; creates the key file when that is the scheme and none exists yet, and says what
        /// it chose (DPAPI unusable, key file created).
        /// </summary>
        public byte[] Protect(byte[] plaintext)
        {
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

                verbose($"DPAPI is not usable for this account ({unavailable}); encrypting with the key file '{KeyFilePath}' instead.");
            }

            return KeyFile(create: true)!.Protect(plaintext);
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

        private AesHmacProtector? EnvironmentKey() =>
            environment.Get(EnvironmentVariables.EncryptionKey) is string text ? fromEnvironment.Get(text, FromEnvironment) : null;

        private static AesHmacProtector FromEnvironment(string text)
        {
            var key = DecodeKey(text) ?? throw new IcaException(
                ErrorIds.EnvironmentKeyInvalid,
                IcaErrorKind.InvalidArgument,
                $"The environment variable {EnvironmentVariables.EncryptionKey} must hold {AesHmacProtector.MasterKeyLength} bytes in base64 (44 characters). Make one with [Convert]::ToBase64String((1..32 | ForEach-Object {{ Get-Random -Maximum 256 }}) -as [byte[]]) or copy the key file's content.",
                EnvironmentVariables.EncryptionKey);
            return new AesHmacProtector(key, $"the environment variable {EnvironmentVariables.EncryptionKey}");
        }

        private AesHmacProtector? KeyFile(bool create)
        {
            // Before any use: a link, a folder, a device or another user's file is refused.
            FileTrust.CheckFile(KeyFilePath, "key file", ErrorIds.KeyFileInvalid);
            if (!File.Exists(KeyFilePath))
            {
                if (!create)
                {
                    return null;
                }

                CreateKeyFile();
            }

            var info = new FileInfo(KeyFilePath);
            return fromKeyFile.Get((info.LastWriteTimeUtc.Ticks, info.Length), _ =>
            {
                var key = DecodeKey(ReadKeyFile()) ?? throw new IcaException(
                    ErrorIds.KeyFileInvalid,
                    IcaErrorKind.InvalidData,
                    $"The key file '{KeyFilePath}' does not hold a {AesHmacProtector.MasterKeyLength}-byte base64 key. Restore it from a backup, or remove it with Reset-IcaConfig -All and store your API keys again.",
                    KeyFilePath);
                return new AesHmacProtector(key, $"the key file '{KeyFilePath}'");
            });
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

        private void CreateKeyFile()
        {
            // Atomic: a process killed while creating the key must not leave an empty key file
            // behind, which would make every later write fail (the crash test found exactly that).
            if (AtomicFile.CreateNew(KeyFilePath, NewKeyText()))
            {
                verbose($"Created the encryption key file '{KeyFilePath}' (readable by the current user only).");
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

        private IcaException MissingKeyFile(string location) => new IcaException(
            ErrorIds.KeyFileMissing,
            IcaErrorKind.ObjectNotFound,
            $"The API key in {location} was encrypted with the key file '{KeyFilePath}', which does not exist. Restore that file, set {EnvironmentVariables.EncryptionKey} to its content, or store the API key again with Set-IcaConfig -ApiKey.",
            KeyFilePath);
    }
}
