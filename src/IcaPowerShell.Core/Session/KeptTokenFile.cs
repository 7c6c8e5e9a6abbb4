using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;
using IcaPowerShell.Core.Http;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// The token of one profile, kept beside its profile file for other processes and runspaces,
    /// as icav2 keeps its session file. The file is encrypted with what protects the profile's API
    /// key and holds, besides the JWT, the server and a fingerprint of the credential under a
    /// random salt, so a changed key or server never gets the old token. It is a cache and never
    /// worse than none: whatever cannot be read, checked or written is reported in the verbose
    /// stream and treated as absent. Format 2 also binds the token to the profile file's exact bytes
    /// (<see cref="ProfileBinding"/>), so that a process finding them unchanged can take it without
    /// parsing the profile or decrypting its key; format 1 files are still read the full way.
    /// </summary>
    internal sealed class KeptTokenFile
    {
        private const string FormatLine = "icapowershell-kept-token 2";
        private const string FormatLine1 = "icapowershell-kept-token 1";
        private const int MaxFileBytes = 64 * 1024;

        private readonly SecretProtection protection;
        private readonly Action<string> log;

        public KeptTokenFile(string profilePath, string profileName, SecretProtection protection, Action<string> log)
        {
            FilePath = ProfileLocation.KeptTokenPath(profilePath, profileName);
            this.protection = protection;
            this.log = log;
        }

        public string FilePath { get; }

        /// <summary>The kept token for SERVER and CREDENTIAL, or null (none, unreadable, or another credential's).</summary>
        public MintedJwt? TryRead(ServerAddress server, IcaCredential credential)
        {
            if (!(TryReadEntry() is Entry entry))
            {
                return null;
            }

            if (entry.Server != server.BaseUri.AbsoluteUri || entry.Fingerprint != credential.FingerprintUnder(entry.Salt))
            {
                log($"The kept token in '{FilePath}' was minted for another server or API key; it is ignored.");
                return null;
            }

            return entry.Token;
        }

        /// <summary>
        /// The kept token and its server when it was kept for a profile file exactly as CURRENT finds
        /// it (same bytes, name, -ServerUrl); else null, and the caller takes the full way.
        /// </summary>
        public (MintedJwt Token, ServerAddress Server)? TryReadBound(ProfileBinding current)
        {
            if (!(TryReadEntry() is Entry entry) || entry.Binding == null || entry.Token == null)
            {
                return null;
            }

            if (!FixedTimeEquals(entry.Binding, current.Under(entry.Salt)))
            {
                log($"The profile file changed since the token in '{FilePath}' was kept (or it was kept for another -ServerUrl); checking the token against the key.");
                return null;
            }

            try
            {
                return (entry.Token, ServerAddress.Parse(entry.Server));
            }
            catch (IcaException)
            {
                return null;
            }
        }

        private Entry? TryReadEntry()
        {
            try
            {
                if (!File.Exists(FilePath))
                {
                    return null;
                }

                FileTrust.CheckFile(FilePath, "kept token file", ErrorIds.UnsafePermissions);
                var entry = Decode(ReadCapped());
                if (entry == null)
                {
                    ReportOnce($"The kept token file '{FilePath}' is not in a format this version writes; it is ignored and will be replaced.");
                }

                return entry;
            }
            catch (Exception ex) when (IsCacheFailure(ex))
            {
                ReportOnce($"The kept token file '{FilePath}' could not be used ({Describe(ex)}); it is ignored.");
                return null;
            }
        }

        /// <summary>A call reads the file up to three times (quick way, full way, under the lock): what is wrong with it is said once.</summary>
        private void ReportOnce(string line)
        {
            if (line != reported)
            {
                reported = line;
                log(line);
            }
        }

        private string? reported;

        /// <summary>
        /// Keeps TOKEN for other processes; a failure is reported in the verbose stream, never thrown.
        /// BINDING is what the credential was loaded from (null for a credential given by parameter or environment).
        /// </summary>
        public void TryWrite(ServerAddress server, IcaCredential credential, ProfileBinding? binding, MintedJwt token)
        {
            try
            {
                var salt = new byte[32];
                using (var random = RandomNumberGenerator.Create())
                {
                    random.GetBytes(salt);
                }

                var payload = string.Join("\n", FormatLine, Convert.ToBase64String(salt), credential.FingerprintUnder(salt), binding?.Under(salt) ?? string.Empty, server.BaseUri.AbsoluteUri, token.Jwt);
                var plain = Encoding.UTF8.GetBytes(payload);
                try
                {
                    AtomicFile.WriteAllText(FilePath, Convert.ToBase64String(protection.Protect(plain)) + "\n");
                }
                finally
                {
                    Array.Clear(plain, 0, plain.Length);
                }

                log($"Kept the token in '{FilePath}' for other processes (encrypted).");
            }
            catch (Exception ex) when (IsCacheFailure(ex))
            {
                log(Directory.Exists(FilePath)
                    ? $"The token could not be kept: '{FilePath}' is a folder. Remove it, and the next token is kept; this process still uses this one."
                    : $"The token could not be kept in '{FilePath}' ({Describe(ex)}); this process still uses it.");
            }
        }

        /// <summary>Forgets the kept token, if it is ours; true when there was one. A failure is reported in the verbose stream, never thrown.</summary>
        public bool TryDelete() => ProfileStore.DeleteKeptToken(FilePath);

        /// <summary>
        /// The lock every process takes to mint for this profile, so that many cold processes send one
        /// request. Null when it was not had within WAIT (a slow or stuck holder) or cannot be taken at
        /// all: then the caller mints on its own, as if there were no cache.
        /// </summary>
        public IDisposable? TryLock(TimeSpan wait)
        {
            try
            {
                return FileLock.Acquire(FilePath + ".lock", wait, FilePath);
            }
            catch (Exception ex) when (IsCacheFailure(ex))
            {
                log($"Minting without waiting for another process ({Describe(ex)}).");
                return null;
            }
        }

        private string ReadCapped()
        {
            using (var stream = UnixFiles.IsUnix ? UnixFiles.OpenReadNoFollow(FilePath) : new FileStream(FilePath, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                if (UnixFiles.IsUnix)
                {
                    FileTrust.CheckOpened(stream.SafeFileHandle, FilePath, "kept token file", ErrorIds.UnsafePermissions);
                }

                if (stream.Length > MaxFileBytes)
                {
                    throw new InvalidDataException($"it is larger than {MaxFileBytes} bytes, so not a file this module wrote");
                }

                using (var reader = new StreamReader(stream, Encoding.ASCII))
                {
                    return reader.ReadToEnd();
                }
            }
        }

        private Entry? Decode(string text)
        {
            var plain = protection.Unprotect(Convert.FromBase64String(text.Trim()), $"the kept token file '{FilePath}'");
            try
            {
                var lines = Encoding.UTF8.GetString(plain).Split('\n');
                return lines.Length == 6 && lines[0] == FormatLine ? new Entry(Convert.FromBase64String(lines[1]), lines[2], lines[3].Length == 0 ? null : lines[3], lines[4], lines[5])
                    : lines.Length == 5 && lines[0] == FormatLine1 ? new Entry(Convert.FromBase64String(lines[1]), lines[2], null, lines[3], lines[4])
                    : null;
            }
            finally
            {
                Array.Clear(plain, 0, plain.Length);
            }
        }

        private static bool IsCacheFailure(Exception ex) =>
            ex is IcaException || ex is IOException || ex is InvalidDataException || ex is UnauthorizedAccessException || ex is FormatException || ex is CryptographicException;

        /// <summary>
        /// What went wrong, without a secret. The protection's own messages speak of an API key and how
        /// to store it again, which is wrong advice for a cache: only their id is shown.
        /// </summary>
        private static string Describe(Exception ex) => ex is IcaException ica
            ? ica.ErrorId switch
            {
                ErrorIds.SecretWrongKey => "encrypted with another key",
                ErrorIds.SecretTampered => "changed since it was written",
                ErrorIds.SecretUnsupported => "in a format this version does not know",
                _ => $"{ica.ErrorId}: {ica.Message}",
            }
            : ex is FormatException
                ? "it is not a file this module wrote"
                : ex.Message;

        /// <summary>Compares two MACs in time that does not depend on where they differ.</summary>
        private static bool FixedTimeEquals(string a, string b)
        {
            var difference = a.Length ^ b.Length;
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                difference |= a[i] ^ b[i];
            }

            return difference == 0;
        }

        private sealed record Entry(byte[] Salt, string Fingerprint, string? Binding, string Server, string Jwt)
        {
            public MintedJwt? Token { get; } = JwtClaims.TryParse(Jwt) is JwtClaims claims ? new MintedJwt(Jwt, claims) : null;
        }
    }
}
