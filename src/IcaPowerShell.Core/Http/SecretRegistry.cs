using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;
using System.Threading;
using IcaPowerShell.Core.Errors;

namespace IcaPowerShell.Core.Http
{
    /// <summary>
    /// The secrets a session has sent (API keys, passwords with their Basic pair, proxy passwords),
    /// and the one cleaning that everything the module writes goes through: verbose, warning and
    /// debug lines, progress, error messages and ErrorDetails. A server that learnt a secret at the
    /// token endpoint and echoes it from an API call, a status line or a page is cut the same way.
    /// </summary>
    public sealed class SecretRegistry
    {
        // A JWT, or the start of one (its header is base64 of '{"', so it begins eyJ), whole or cut short.
        internal static readonly Regex JwtLike = new Regex(@"eyJ[A-Za-z0-9_\-]{6,}(\.[A-Za-z0-9_\-]*){0,2}", RegexOptions.CultureInvariant);

        private readonly object gate = new object();
        private Redaction known = Redaction.None;
        private List<Func<string?>>? later;

        internal Redaction Known => known;

        public void Add(params string?[] secrets)
        {
            lock (gate)
            {
                known = known.With(secrets);
            }
        }

        /// <summary>
        /// A secret this session never sent, though a server knows it: the key of a profile whose kept
        /// token it took (another process minted with that key). Loaded (decrypted) only when a text
        /// is about to be shown, so that taking a kept token stays cheap; see <see cref="LoadLater"/>.
        /// </summary>
        public void AddLater(Func<string?> load)
        {
            lock (gate)
            {
                (later ??= new List<Func<string?>>()).Add(load);
            }
        }

        /// <summary>
        /// Loads the secrets given to <see cref="AddLater"/>, once; they are known from then on, and
        /// returned for a call's own cleaning. One that cannot be loaded now (the profile file changed
        /// or went) is skipped: the file no longer holds what the server learnt.
        /// </summary>
        public string?[] LoadLater()
        {
            List<Func<string?>>? loads;
            lock (gate)
            {
                loads = later;
                later = null;
            }

            if (loads == null)
            {
                return Array.Empty<string?>();
            }

            var loaded = new List<string?>();
            foreach (var load in loads)
            {
                try
                {
                    loaded.Add(load());
                }
                catch (Exception ex) when (ex is IcaException || ex is System.IO.IOException || ex is UnauthorizedAccessException || ex is System.Security.Cryptography.CryptographicException)
                {
                }
            }

            var secrets = loaded.ToArray();
            Add(secrets);
            return secrets;
        }

        /// <summary>A token the session sends: cut from everything written from now on, in every form (base64 too). Cheap when it is known already.</summary>
        public void AddToken(string jwt)
        {
            if (!known.Covers(jwt))
            {
                Add(jwt, "Bearer " + jwt);   // the header value too: echoed re-encoded, its base64 is not the JWT's
            }
        }

        internal void AddBasic(string userName, string password)
        {
            lock (gate)
            {
                known = known.With(Redaction.BasicSecrets(userName, password));
            }
        }

        /// <summary>TEXT with JWTs and every known secret cut, and control characters escaped (a terminal must not act on them).</summary>
        public string Clean(string text) => Clean(text, known);

        /// <summary>Text that came from a server (a body under -Debug, an answer that is not JSON): also the secrets added with <see cref="AddLater"/>.</summary>
        public string CleanServerText(string text) => Clean(text, Complete());

        /// <summary>A call's own secrets with every one this session knows, those added with <see cref="AddLater"/> included: for a server's error answer.</summary>
        internal Redaction ForServerText(Redaction call) => call.With(Complete());

        internal static string Clean(string text, Redaction secrets) =>
            Shown.EscapeControl(secrets.Apply(JwtLike.Replace(text, "[token]")));

        private Redaction Complete()
        {
            if (Volatile.Read(ref later) != null)
            {
                LoadLater();
            }

            return known;
        }

        /// <summary>An error answer written as output (-SkipHttpErrorCheck): cut as ErrorDetails is, whole.</summary>
        public string CleanAnswer(string body) => CleanBody(body, Complete(), int.MaxValue);

        /// <summary>A server's body as it may be shown (ErrorDetails): secrets cut, control characters but line breaks and tabs escaped, at most MAXLENGTH characters.</summary>
        internal static string CleanBody(string body, Redaction secrets, int maxLength)
        {
            var cut = secrets.Apply(JwtLike.Replace(body.Length > maxLength ? body.Substring(0, maxLength) : body, "[token]"));
            var builder = new System.Text.StringBuilder(cut.Length);
            foreach (var c in cut)
            {
                if (char.IsControl(c) && c != '\r' && c != '\n' && c != '\t')
                {
                    builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                }
                else
                {
                    builder.Append(c);
                }
            }

            return builder.ToString();
        }
    }
}
