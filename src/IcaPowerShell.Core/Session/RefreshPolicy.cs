using System;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Core.Session
{
    /// <summary>
    /// When to renew a token: ahead of exp by the smaller of 5 minutes and a tenth of its lifetime,
    /// so a 1-hour token is renewed at 55 minutes and a 2-second test token at 1.8 seconds.
    /// </summary>
    internal static class RefreshPolicy
    {
        private static readonly TimeSpan MaxMargin = TimeSpan.FromMinutes(5);

        public static DateTimeOffset RefreshAt(JwtClaims claims, DateTimeOffset now, TimeSpan? fixedMargin)
        {
            var lifetime = claims.ExpiresOn - (claims.IssuedAt ?? now);
            if (lifetime <= TimeSpan.Zero)
            {
                return claims.ExpiresOn;
            }

            var margin = fixedMargin ?? TimeSpan.FromTicks(Math.Min(MaxMargin.Ticks, lifetime.Ticks / 10));
            return claims.ExpiresOn - margin;
        }
    }
}
