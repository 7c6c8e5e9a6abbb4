using System;
using System.Runtime.InteropServices;
using System.Security;
using System.Text;

namespace IcaPowerShell.Core.Protection
{
    /// <summary>
    /// Moves secrets between SecureString and bytes. Plain copies live as briefly as possible and
    /// are cleared by the caller; a plain string exists only where an HTTP header needs one.
    /// </summary>
    public static class SecretText
    {
        public static SecureString ToSecureString(byte[] utf8)
        {
            var chars = Encoding.UTF8.GetChars(utf8);
            try
            {
                return ToSecureString(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        public static SecureString ToSecureString(string text) => ToSecureString(text.ToCharArray());

        public static byte[] ToUtf8(SecureString secret)
        {
            var chars = ToChars(secret);
            try
            {
                return Encoding.UTF8.GetBytes(chars);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        /// <summary>The secret as a string, for the one place that needs it: an HTTP header value.</summary>
        public static string ToPlainText(SecureString secret) => new string(ToChars(secret));

        public static bool IsBlank(SecureString? secret)
        {
            if (secret == null || secret.Length == 0)
            {
                return true;
            }

            var chars = ToChars(secret);
            try
            {
                return Array.TrueForAll(chars, char.IsWhiteSpace);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        public static bool HasControlCharacters(SecureString secret)
        {
            var chars = ToChars(secret);
            try
            {
                return Array.Exists(chars, char.IsControl);
            }
            finally
            {
                Array.Clear(chars, 0, chars.Length);
            }
        }

        private static SecureString ToSecureString(char[] chars)
        {
            var secure = new SecureString();
            foreach (var c in chars)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        private static char[] ToChars(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                var chars = new char[secret.Length];
                Marshal.Copy(pointer, chars, 0, chars.Length);
                return chars;
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
