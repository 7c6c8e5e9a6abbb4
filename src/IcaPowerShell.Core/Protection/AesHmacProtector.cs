using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// Authenticated encryption, encrypt-then-MAC: AES-256-CBC with a random IV, then HMAC-SHA256
    /// over everything before the MAC. Encryption and MAC keys are derived from one 32-byte master
    /// key, and a key id (also derived from it) tells "encrypted with another key" apart from
    /// "tampered with".
    /// </summary>
    internal sealed class AesHmacProtector
    {
        public const int MasterKeyLength = 32;
        private const int KeyIdLength = 8;
        private const int IvLength = 16;
        private const int MacLength = 32;
        private const int MinimumLength = SecretEnvelope.HeaderLength + KeyIdLength + IvLength + 16 + MacLength;

        private readonly byte[] encryptionKey;
        private readonly byte[] macKey;
        private readonly byte[] keyId;
        private readonly string keySource;

        public AesHmacProtector(byte[] masterKey, string keySource)
        {
            if (masterKey.Length != MasterKeyLength)
            {
                throw new ArgumentException($"The master key must be {MasterKeyLength} bytes.", nameof(masterKey));
            }

            encryptionKey = Derive(masterKey, "IcaPowerShell v1 encryption");
            macKey = Derive(masterKey, "IcaPowerShell v1 authentication");
            keyId = Derive(masterKey, "IcaPowerShell v1 key id").Take(KeyIdLength).ToArray();
            this.keySource = keySource;
        }

        public byte[] Protect(byte[] plaintext)
        {
            using (var aes = CreateAes())
            {
                aes.GenerateIV();
                byte[] ciphertext;
                using (var encryptor = aes.CreateEncryptor())
                {
                    ciphertext = encryptor.TransformFinalBlock(plaintext, 0, plaintext.Length);
                }

                var envelope = new byte[SecretEnvelope.HeaderLength + KeyIdLength + IvLength + ciphertext.Length + MacLength];
                envelope[0] = SecretEnvelope.Version1;
                envelope[1] = SecretEnvelope.SchemeAesHmac;
                Buffer.BlockCopy(keyId, 0, envelope, SecretEnvelope.HeaderLength, KeyIdLength);
                Buffer.BlockCopy(aes.IV, 0, envelope, SecretEnvelope.HeaderLength + KeyIdLength, IvLength);
                Buffer.BlockCopy(ciphertext, 0, envelope, SecretEnvelope.HeaderLength + KeyIdLength + IvLength, ciphertext.Length);
                var mac = ComputeMac(envelope, envelope.Length - MacLength);
                Buffer.BlockCopy(mac, 0, envelope, envelope.Length - MacLength, MacLength);
                return envelope;
            }
        }

        public byte[] Unprotect(byte[] envelope, string location)
        {
            var bodyLength = envelope.Length - MacLength;
            if (envelope.Length < MinimumLength || (bodyLength - SecretEnvelope.HeaderLength - KeyIdLength - IvLength) % 16 != 0)
            {
                throw Tampered(location);
            }

            var expectedMac = ComputeMac(envelope, bodyLength);
            if (!FixedTimeEquals(expectedMac, envelope, bodyLength))
            {
                // The key id is covered by the MAC, so only look at it once the MAC has failed:
                // a matching id means the bytes changed, a different id means another key wrote them.
                var sameKey = FixedTimeEquals(keyId, envelope, SecretEnvelope.HeaderLength);
                throw sameKey ? Tampered(location) : WrongKey(location);
            }

            using (var aes = CreateAes())
            {
                var iv = new byte[IvLength];
                Buffer.BlockCopy(envelope, SecretEnvelope.HeaderLength + KeyIdLength, iv, 0, IvLength);
                aes.IV = iv;
                using (var decryptor = aes.CreateDecryptor())
                {
                    var offset = SecretEnvelope.HeaderLength + KeyIdLength + IvLength;
                    return decryptor.TransformFinalBlock(envelope, offset, bodyLength - offset);
                }
            }
        }

        private Aes CreateAes()
        {
            var aes = Aes.Create();
            aes.KeySize = 256;
            aes.Mode = CipherMode.CBC;
            aes.Padding = PaddingMode.PKCS7;
            aes.Key = encryptionKey;
            return aes;
        }

        private byte[] ComputeMac(byte[] data, int count)
        {
            using (var hmac = new HMACSHA256(macKey))
            {
                return hmac.ComputeHash(data, 0, count);
            }
        }

        private static byte[] Derive(byte[] masterKey, string purpose)
        {
            using (var hmac = new HMACSHA256(masterKey))
            {
                return hmac.ComputeHash(Encoding.UTF8.GetBytes(purpose));
            }
        }

        /// <summary>Compares without an early exit, so timing does not reveal how many bytes matched.</summary>
        private static bool FixedTimeEquals(byte[] expected, byte[] actual, int offset)
        {
            var difference = 0;
            for (var i = 0; i < expected.Length; i++)
            {
                difference |= expected[i] ^ actual[offset + i];
            }

            return difference == 0;
        }

        private IcaException WrongKey(string location) => new IcaException(
            ErrorIds.SecretWrongKey,
            IcaErrorKind.SecurityError,
            $"The API key in {location} was encrypted with a different key than {keySource}. Use the key it was written with, or store the API key again with Set-IcaConfig -ApiKey.",
            location);

        private static IcaException Tampered(string location) => new IcaException(
            ErrorIds.SecretTampered,
            IcaErrorKind.SecurityError,
            $"The encrypted API key in {location} has been altered or damaged and was not used. Store the API key again with Set-IcaConfig -ApiKey.",
            location);
    }
}
