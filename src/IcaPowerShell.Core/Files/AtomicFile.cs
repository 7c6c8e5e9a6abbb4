using System;
using System.IO;
using System.Text;

namespace IcaPowerShell.Core.Files
{
    /// <summary>
    /// Replaces a file so that a reader, or a crash, sees either the old or the new content and
    /// never a torn mix: the new content is written and flushed to a temp file in the same folder,
    /// created user-only (see <see cref="UserOnlyAccess"/>), then renamed over the target.
    /// </summary>
    internal static class AtomicFile
    {
        private const string TempSuffix = ".tmp";

        public static void WriteAllText(string path, string content)
        {
            var temp = WriteTemp(path, content);
            try
            {
                Publish(temp, path);
            }
            finally
            {
                TryDelete(temp);
            }
        }

        /// <summary>Gives the complete file TEMP the name PATH, replacing what was there in one step (see <see cref="FileReplacement"/>).</summary>
        public static void Publish(string temp, string path) => FileReplacement.Publish(temp, path);

        /// <summary>
        /// Creates PATH with CONTENT only if it does not exist, atomically: a crash leaves either no
        /// file or the whole one. False when another process created it first (theirs is kept).
        /// </summary>
        public static bool CreateNew(string path, string content)
        {
            var temp = WriteTemp(path, content);
            try
            {
                // On Unix, link() is the atomic "create this name unless it exists": File.Move
                // checks, then renames over whatever a racing creator put there meanwhile (the
                // race test saw two processes each keep its own key). On Windows, MoveFileEx
                // without REPLACE_EXISTING is atomic already.
                if (UnixFiles.IsUnix && UnixFiles.TryLinkNew(temp, path) is bool linked)
                {
                    return linked;
                }

                File.Move(temp, path);
                return true;
            }
            catch (IOException) when (File.Exists(path))
            {
                return false;
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }

        /// <summary>Writes a user-only temp file beside PATH, flushed to disk, and returns its name.</summary>
        private static string WriteTemp(string path, string content)
        {
            var folder = Path.GetDirectoryName(path)!;
            var temp = Path.Combine(folder, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TempSuffix}");
            var stream = UserOnlyAccess.CreateNew(temp);
            try
            {
                using (stream)
                {
                    var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(content);
                    stream.Write(bytes, 0, bytes.Length);
                    stream.Flush(flushToDisk: true);
                }

                return temp;
            }
            catch
            {
                // The name is ours: CreateNew made it, and fails when anything else holds it.
                File.Delete(temp);
                throw;
            }
        }

        /// <summary>
        /// Removes temp files that a writer killed mid-write left behind. Called under the writers'
        /// lock, so no live writer owns any of them.
        /// </summary>
        public static void RemoveAbandonedTempFiles(string path)
        {
            var folder = Path.GetDirectoryName(path)!;
            foreach (var stale in Directory.EnumerateFiles(folder, $".{Path.GetFileName(path)}.*{TempSuffix}"))
            {
                // In a shared folder (/tmp) a file of that name may be another user's: not ours to remove.
                if (!UnixFiles.IsUnix || UnixFiles.Inspect(stale)?.Owner == UnixFiles.EffectiveUserId)
                {
                    TryDelete(stale);
                }
            }
        }

        /// <summary>
        /// A temp file that cannot be removed now (a scanner holds it on Windows) is left for the next
        /// write's clean-up: its name is ours and it is never read, so it must not fail the write.
        /// </summary>
        private static void TryDelete(string temp)
        {
            try
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
