using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Files;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Core.Profiles
{
    /// <summary>
    /// Reads and writes the profile file. Reads take no lock (writes are atomic renames, so a
    /// reader sees a whole old or a whole new file); writes take the lock, re-read the file, change
    /// only what was asked, and replace the file atomically. A file that cannot be parsed is never
    /// written over.
    /// </summary>
    public sealed class ProfileStore
    {
        /// <summary>A real profile file is a few hundred bytes a profile; anything near this is not one.</summary>
        public const int MaxFileBytes = 1024 * 1024;

        private readonly TimeSpan lockTimeout;

        public ProfileStore(string path, SecretProtection protection, TimeSpan? lockTimeout = null)
        {
            Path = path;
            Protection = protection;
            this.lockTimeout = lockTimeout ?? TimeSpan.FromSeconds(10);
        }

        public string Path { get; }

        public SecretProtection Protection { get; }

        public IReadOnlyList<IcaProfile> ReadAll() => Load(out _)?.Profiles ?? Array.Empty<IcaProfile>();

        public IcaProfile? Find(string name) => Load(out _)?.Find(ProfileName.Validate(name));

        /// <summary>As <see cref="Find(string)"/>, and the exact bytes of the file it was parsed from (null when there is no file).</summary>
        internal IcaProfile? Find(string name, out byte[]? fileBytes) => Load(out fileBytes)?.Find(ProfileName.Validate(name));

        /// <summary>
        /// The file's bytes as they are now, after the same checks as a load (another user's file, a
        /// link, a folder, too large are refused); null when there is no file, or when it is open to
        /// others, so that a full load tightens it (and says so) before anything trusts it.
        /// </summary>
        internal byte[]? ReadBytesIfPrivate()
        {
            var bytes = ReadBytes(out var tooOpen);
            return tooOpen == null ? bytes : null;
        }

        /// <summary>
        /// The API key of profile NAME in FILEBYTES, a copy of this file read earlier (null when it has
        /// none): the key a kept token was minted with is the one in the bytes it was bound to, even
        /// after the file was changed.
        /// </summary>
        internal SecureString? ApiKeyIn(byte[] fileBytes, string name) =>
            ProfileDocument.Parse(Decode(fileBytes), Path).Find(ProfileName.Validate(name)) is IcaProfile profile && profile.HasApiKey ? ReadApiKey(profile) : null;

        /// <summary>
        /// The error for a profile that is not in this file, listing those that are (names are
        /// from a safe alphabet), so a typo is seen at once; REMEDY says what to do.
        /// </summary>
        public IcaException ProfileNotFound(string name, string remedy)
        {
            const int Listed = 20;
            var names = File.Exists(Path) ? ReadAll().Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal).ToList() : null;
            var there = names == null
                ? "The file does not exist yet."
                : names.Count == 0
                    ? "It holds no profiles."
                    : $"The profiles there are: {string.Join(", ", names.Take(Listed))}{(names.Count > Listed ? $" and {names.Count - Listed} more (Get-IcaConfig -ListAvailable)" : string.Empty)}.";
            return new IcaException(ErrorIds.ProfileNotFound, IcaErrorKind.ObjectNotFound, $"There is no profile '{name}' in '{Path}'. {there} {remedy}", name);
        }

        /// <summary>A cheap fingerprint of the file's current version, to notice changes without reading it.</summary>
        public FileStamp Stamp()
        {
            var info = new FileInfo(Path);
            return info.Exists ? new FileStamp(info.LastWriteTimeUtc.Ticks, info.Length) : FileStamp.Missing;
        }

        /// <summary>Creates or changes one profile: members of <paramref name="changes"/> left null keep their stored values.</summary>
        public IcaProfile Save(string name, ProfileChanges changes)
        {
            ProfileName.Validate(name);
            return Write(document =>
            {
                var existing = document.Find(name);
                var protectedKey = existing?.ProtectedApiKey;
                if (changes.ApiKey != null)
                {
                    protectedKey = ProtectApiKey(changes.ApiKey);
                    // The kept token is checked against the key anyway; a new key makes it useless.
                    DeleteKeptToken(ProfileLocation.KeptTokenPath(Path, name));
                }

                var profile = new IcaProfile(
                    name,
                    changes.Server ?? existing?.Server ?? ServerAddress.Default,
                    changes.OutputFormat ?? existing?.OutputFormat ?? ProfileSettings.DefaultOutputFormat,
                    changes.ColorMode ?? existing?.ColorMode ?? ProfileSettings.DefaultColorMode,
                    protectedKey,
                    changes.ClearProjectId ? null : changes.ProjectId ?? existing?.ProjectId);
                document.Set(profile);
                return profile;
            });
        }

        /// <summary>Removes one profile; false when there was none of that name.</summary>
        public bool Remove(string name)
        {
            ProfileName.Validate(name);
            if (Load(out _)?.Find(name) == null)
            {
                return false;
            }

            // As icav2 config reset removes its session file: the profile's kept token goes with it,
            // after the profile is saved without it, so that a process minting meanwhile sees the
            // change when it checks the file again before and after keeping its token.
            var removed = Write(document => document.Remove(name));
            DeleteKeptToken(ProfileLocation.KeptTokenPath(Path, name), lockTimeout);
            return removed;
        }

        /// <summary>Removes the profile file, its kept tokens and the key file. The empty lock files stay: see <see cref="FileLock"/>.</summary>
        public void RemoveAll()
        {
            using (AcquireLock())
            {
                // The profile file first, the kept tokens after it: see Remove.
                Delete(Path);
                Delete(Protection.KeyFilePath);
                RemoveKeptTokens();
                RemoveAbandonedTempFiles();
            }
        }

        /// <summary>Deletes the token kept for profile NAME of this file; true when there was one of ours.</summary>
        public bool RemoveKeptToken(string name)
        {
            RefuseFolder();
            return DeleteKeptToken(ProfileLocation.KeptTokenPath(Path, ProfileName.Validate(name)), lockTimeout);
        }

        /// <summary>
        /// Deletes the tokens kept for this file's profiles (see Session.KeptTokenFile); returns how many.
        /// By file name, not by reading the profile file: it must work on a file that no longer parses.
        /// </summary>
        public int RemoveKeptTokens()
        {
            // A folder given as the profile file would match every kept token in it, or none in it.
            RefuseFolder();
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            if (!Directory.Exists(folder))
            {
                return 0;
            }

            // Listed, then matched by exact name: a '*' or '?' in the profile file's name is no pattern.
            // A lock without its token file may be a process minting now: its token is waited for too.
            var removed = 0;
            var tokens = Directory.EnumerateFiles(folder, "*.token")
                .Concat(Directory.EnumerateFiles(folder, "*.token.lock").Select(l => l.Substring(0, l.Length - ".lock".Length)))
                .Distinct(Files.PathKey.Comparer);
            foreach (var kept in tokens)
            {
                if (ProfileLocation.KeptTokenProfile(Path, System.IO.Path.GetFileName(kept)) != null && DeleteKeptToken(kept, lockTimeout))
                {
                    removed++;
                }
            }

            return removed;
        }

        private void RefuseFolder()
        {
            if (Directory.Exists(Path) || System.IO.Path.GetFileName(Path).Length == 0)
            {
                throw new IcaException(ErrorIds.ConfigFileUnreadable, IcaErrorKind.InvalidData, $"'{Path}' is a folder, not a profile file. Move it away, or pass -Path with a file name.", Path);
            }
        }

        /// <summary>
        /// Deletes a kept token of ours. A file another user put there (a shared sticky folder) is not
        /// ours to remove and was never used; and a cache that cannot be deleted must not fail a reset.
        /// </summary>
        internal static bool DeleteKeptToken(string path, TimeSpan waitForMinter = default)
        {
            // A process minting this profile's token holds its lock until it has kept it: waited for (at
            // most WAITFORMINTER), so that a token it keeps now is deleted too, not left for the next process.
            using (waitForMinter > TimeSpan.Zero ? WaitForMinter(path, waitForMinter) : null)
            {
                return DeleteKeptTokenNow(path);
            }
        }

        private static IDisposable? WaitForMinter(string path, TimeSpan wait)
        {
            try
            {
                return File.Exists(path + ".lock") ? FileLock.Acquire(path + ".lock", wait, path) : null;
            }
            catch (Exception ex) when (ex is IcaException || ex is IOException || ex is UnauthorizedAccessException)
            {
                Diagnostics.EngineLog.Verbose($"Deleting '{path}' without waiting for a process that may be minting ({ex.Message}).");
                return null;
            }
        }

        private static bool DeleteKeptTokenNow(string path)
        {
            try
            {
                if (!File.Exists(path) || (UnixFiles.IsUnix && UnixFiles.Inspect(path)?.Owner != UnixFiles.EffectiveUserId))
                {
                    return false;
                }

                File.Delete(path);
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Diagnostics.EngineLog.Verbose($"The kept token '{path}' could not be removed: {ex.Message}");
                return false;
            }
        }

        /// <summary>Decrypts the stored API key, straight into a SecureString.</summary>
        public SecureString ReadApiKey(IcaProfile profile)
        {
            var plaintext = Protection.Unprotect(profile.ProtectedApiKey!, $"profile '{profile.Name}' of '{Path}'");
            try
            {
                return SecretText.ToSecureString(plaintext);
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        private byte[] ProtectApiKey(SecureString apiKey)
        {
            var plaintext = SecretText.ToUtf8(apiKey);
            try
            {
                return Protection.Protect(plaintext);
            }
            finally
            {
                Array.Clear(plaintext, 0, plaintext.Length);
            }
        }

        private T Write<T>(Func<ProfileDocument, T> change)
        {
            EnsureFolder();
            using (AcquireLock())
            {
                // Every write looks at the key file too, so one that was opened up is noticed early.
                FileTrust.CheckFile(Protection.KeyFilePath, "key file", ErrorIds.KeyFileInvalid);
                var document = Load(out _) ?? ProfileDocument.CreateEmpty(Path);
                EnsureWritable();
                var result = change(document);
                RemoveAbandonedTempFiles();
                try
                {
                    AtomicFile.WriteAllText(Path, document.Serialize());
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    throw new IcaException(ErrorIds.ConfigFileReadOnly, IcaErrorKind.PermissionDenied, $"Cannot write the profile file '{Path}': {ex.Message} The file was left as it was.", Path, ex);
                }

                return result;
            }
        }

        private ProfileDocument? Load(out byte[]? bytes)
        {
            bytes = ReadBytes(out var tooOpen);
            if (bytes == null)
            {
                return null;
            }

            var document = ProfileDocument.Parse(Decode(bytes), Path);
            if (tooOpen != null)
            {
                // Only a file we will use is tightened: an unparseable one is left exactly as it is.
                FileTrust.Tighten(Path, "profile file", tooOpen);
            }

            return document;
        }

        private byte[]? ReadBytes(out UnixEntry? tooOpen)
        {
            tooOpen = null;
            RefuseFolder();

            try
            {
                if (!File.Exists(Path))
                {
                    return null;
                }

                // The folder as the writers check it: one others may write (no sticky bit) is refused for
                // reading too, since a token taken from it would then be kept in it.
                FileTrust.CheckFolder(System.IO.Path.GetDirectoryName(Path)!);
                tooOpen = FileTrust.CheckFileDeferred(Path, "profile file", ErrorIds.ConfigFileUnreadable);
                using (var stream = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    if (stream.Length > MaxFileBytes)
                    {
                        throw new IcaException(ErrorIds.ConfigFileTooLarge, IcaErrorKind.LimitsExceeded, $"The profile file '{Path}' is {stream.Length:N0} bytes; a profile file is at most {MaxFileBytes:N0} bytes. It is not one this module wrote: move it away and run Set-IcaConfig again.", Path);
                    }

                    var bytes = new byte[stream.Length];
                    var read = 0;
                    int count;
                    while (read < bytes.Length && (count = stream.Read(bytes, read, bytes.Length - read)) > 0)
                    {
                        read += count;
                    }

                    Array.Resize(ref bytes, read);
                    return bytes;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw Unreadable(ex);
            }
        }

        private string Decode(byte[] bytes)
        {
            try
            {
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
            }
            catch (DecoderFallbackException)
            {
                throw ProfileDocument.Invalid(Path, null, "It is not UTF-8 text.");
            }
        }

        internal IcaException Unreadable(Exception ex) =>
            new IcaException(ErrorIds.ConfigFileUnreadable, IcaErrorKind.PermissionDenied, $"Cannot read the profile file '{Path}': {ex.Message} Check its permissions (it should belong to you, mode 0600), or use another file with -Path.", Path, ex);

        internal void EnsureFolder()
        {
            var folder = System.IO.Path.GetDirectoryName(Path)!;
            if (Directory.Exists(folder))
            {
                FileTrust.CheckFolder(folder);
                return;
            }

            try
            {
                // Parents as mkdir -p makes them; the folder that holds our files, user-only from the start.
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(folder)!);
                UserOnlyAccess.CreateFolder(folder);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                throw new IcaException(ErrorIds.ConfigFolderUnavailable, IcaErrorKind.PermissionDenied, $"Cannot create the folder '{folder}' for the profile file: {ex.Message} Create it yourself, or pass -Path with a file in a folder you can write.", folder, ex);
            }
        }

        private void EnsureWritable()
        {
            if (File.Exists(Path) && (File.GetAttributes(Path) & FileAttributes.ReadOnly) != 0)
            {
                throw new IcaException(ErrorIds.ConfigFileReadOnly, IcaErrorKind.PermissionDenied, $"The profile file '{Path}' is read-only, so it was not changed. Make it writable (chmod u+w, or clear the read-only attribute) and run the command again.", Path);
            }
        }

        /// <summary>Temp files of the profile or key file that a killed writer left; we hold the lock, so none is live.</summary>
        private void RemoveAbandonedTempFiles()
        {
            AtomicFile.RemoveAbandonedTempFiles(Path);
            AtomicFile.RemoveAbandonedTempFiles(Protection.KeyFilePath);
        }

        private FileLock AcquireLock() => FileLock.Acquire(ProfileLocation.LockFilePath(Path), lockTimeout, Path);

        private static void Delete(string path)
        {
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    /// <summary>Last write time and length: enough to notice that another process rewrote the file.</summary>
    public readonly struct FileStamp : IEquatable<FileStamp>
    {
        public static readonly FileStamp Missing = new FileStamp(0, -1);

        public FileStamp(long lastWriteTicks, long length)
        {
            LastWriteTicks = lastWriteTicks;
            Length = length;
        }

        public long LastWriteTicks { get; }

        public long Length { get; }

        public bool Equals(FileStamp other) => LastWriteTicks == other.LastWriteTicks && Length == other.Length;

        public override bool Equals(object? obj) => obj is FileStamp other && Equals(other);

        public override int GetHashCode() => LastWriteTicks.GetHashCode() ^ Length.GetHashCode();
    }
}
