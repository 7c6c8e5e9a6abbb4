namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// The stored form of a secret: [format version][scheme][scheme's payload]. The version and
    /// scheme bytes let a later release change the scheme and still read what earlier ones wrote.
    /// </summary>
    internal static class SecretEnvelope
    {
        public const byte Version1 = 1;

        /// <summary>Windows DPAPI, current user; payload is the DPAPI blob.</summary>
        public const byte SchemeDpapi = 1;

        /// <summary>AES-256-CBC then HMAC-SHA256; payload is key id (8), IV (16), ciphertext, MAC (32).</summary>
        public const byte SchemeAesHmac = 2;

        public const int HeaderLength = 2;

        public static string Describe(byte[]? envelope)
        {
            if (envelope == null || envelope.Length < HeaderLength)
            {
                return "none";
            }

            switch (envelope[1])
            {
                case SchemeDpapi: return "DPAPI (current user)";
                case SchemeAesHmac: return "AES-256-CBC + HMAC-SHA256";
                default: return "unknown";
            }
        }
    }
}
