using System;
using System.Security.Cryptography;
using System.Text;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// What decides a profile's credential, as a kept token is bound to it: the profile file's path
    /// and exact bytes (server, tenant, encrypted key, everything), the profile's name, and the
    /// -ServerUrl given for the call, if any. A process that finds all of them unchanged may take the
    /// kept token without parsing the file or decrypting the key; any difference, even one byte,
    /// sends it the full way (parse, decrypt, compare the key's fingerprint).
    /// </summary>
    internal sealed class ProfileBinding
    {
        private readonly string path;
        private readonly string name;
        private readonly ServerAddress? given;
        private readonly byte[] fileBytes;

        /// <summary>The profile file's bytes this binding was made from.</summary>
        public byte[] FileBytes => fileBytes;

        public ProfileBinding(string path, string name, ServerAddress? given, byte[] fileBytes)
        {
            this.path = path;
            this.name = name;
            this.given = given;
            this.fileBytes = fileBytes;
        }

        /// <summary>Whether OTHER was read from the same bytes (the file did not change in between).</summary>
        public bool SameFileBytes(ProfileBinding other) => fileBytes.AsSpan().SequenceEqual(other.fileBytes);

        /// <summary>
        /// An HMAC-SHA256 under SALT (a kept record's random salt, as for the credential's fingerprint),
        /// never a plain hash; it is stored only inside the record, which the profile's protection
        /// encrypts and authenticates, so it can be neither read nor forged without that key.
        /// </summary>
        public string Under(byte[] salt)
        {
            using (var hmac = new HMACSHA256(salt))
            {
                Add(hmac, Encoding.UTF8.GetBytes("profile-binding 1"));
                Add(hmac, Encoding.UTF8.GetBytes(Files.PathKey.For(path)));
                Add(hmac, Encoding.UTF8.GetBytes(name));
                Add(hmac, Encoding.UTF8.GetBytes(given?.BaseUri.AbsoluteUri ?? string.Empty));
                Add(hmac, fileBytes);
                hmac.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
                return "binding:" + Convert.ToBase64String(hmac.Hash!);
            }
        }

        /// <summary>Each part length-prefixed, so that no two different lists of parts give the same input.</summary>
        private static void Add(HMAC hmac, byte[] part)
        {
            var length = BitConverter.GetBytes(part.Length);
            hmac.TransformBlock(length, 0, length.Length, null, 0);
            hmac.TransformBlock(part, 0, part.Length, null, 0);
        }
    }
}
