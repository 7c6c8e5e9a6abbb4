using System;
using System.Threading;

namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// The platform's cryptography costs its first user in a process 10 to 15 ms (OpenSSL is loaded
    /// and initialised on Linux and macOS), and the first call of a cmdlet that needs a token always
    /// pays it: a profile's key or kept token to decrypt, a TLS handshake with ICA. Started when the
    /// first such cmdlet is created, this pays it on a pool thread while PowerShell binds the
    /// parameters and the engine reads the profile's files, instead of after them. It uses a
    /// throwaway key on throwaway bytes: no secret, no file, no output.
    /// </summary>
    public static class CryptoWarmUp
    {
        private static int started;

        /// <summary>Once per process; returns at once.</summary>
        public static void Start()
        {
            if (Volatile.Read(ref started) == 0 && Interlocked.Exchange(ref started, 1) == 0)
            {
                ThreadPool.QueueUserWorkItem(_ => Run());
            }
        }

        private static void Run()
        {
            try
            {
                var protector = new AesHmacProtector(new byte[AesHmacProtector.MasterKeyLength], "a throwaway key");
                protector.Unprotect(protector.Protect(new byte[1]), "throwaway bytes");
            }
            catch (Exception)
            {
                // Only a head start: whatever failed here fails again where it matters, and is reported there.
            }
        }
    }
}
