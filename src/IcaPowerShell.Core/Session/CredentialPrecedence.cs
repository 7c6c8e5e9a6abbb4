using System.Collections.Generic;
using System.Linq;
using IcaPowerShell.Core.Configuration;

namespace IcaPowerShell.Core.Session
{
    /// <summary>The kinds of place a token can come from, one per row of <see cref="CredentialPrecedence.Rows"/>.</summary>
    internal enum CredentialSourceKind
    {
        Parameters,
        NamedProfile,
        EnvironmentToken,
        EnvironmentKey,
        ImplicitProfile,
    }

    /// <summary>One row of the precedence table: when it applies, and what it says to a user.</summary>
    internal sealed record CredentialRule(CredentialSourceKind Kind, string Summary, System.Func<TokenRequest, IEnvironment, bool> Applies);

    /// <summary>
    /// Where Get-IcaToken and Invoke-IcaRestMethod take their credential from: the first row that
    /// applies wins. As icav2 does it, a flag the caller typed beats the environment, which beats
    /// the file: so -Profile and -Path name a source, and no environment variable overrides them.
    /// README ("Where credentials come from") and about_IcaPowerShell print these rows; a test
    /// compares them.
    /// </summary>
    internal static class CredentialPrecedence
    {
        public static readonly IReadOnlyList<CredentialRule> Rows = new[]
        {
            new CredentialRule(
                CredentialSourceKind.Parameters,
                "`-ApiKey`, or `-Credential` (with `-Tenant`), sent to `-ServerUrl`, else `$env:ICAV2_SERVER_URL`, else ica.illumina.com",
                (request, _) => request.Credential != null),
            new CredentialRule(
                CredentialSourceKind.NamedProfile,
                "`-Profile` or `-Path`: that profile of that file (the name from `-Profile`, else `$env:ICAV2_PROFILE`, else `default`), at `-ServerUrl` if given, else the profile's server; no other environment variable is used, and a missing profile is an error",
                (request, _) => request.Profile != null || request.Path != null),
            new CredentialRule(
                CredentialSourceKind.EnvironmentToken,
                "`$env:ICAV2_ACCESS_TOKEN`, as it is while it has not expired, for `$env:ICAV2_SERVER_URL`, else ica.illumina.com; a `-ServerUrl` for another server is refused",
                (_, environment) => environment.Get(EnvironmentVariables.AccessToken) != null),
            new CredentialRule(
                CredentialSourceKind.EnvironmentKey,
                "`$env:ICAV2_X_API_KEY`, sent to `-ServerUrl`, else `$env:ICAV2_SERVER_URL`, else ica.illumina.com",
                (_, environment) => environment.Get(EnvironmentVariables.ApiKey) != null),
            new CredentialRule(
                CredentialSourceKind.ImplicitProfile,
                "the profile named by `$env:ICAV2_PROFILE`, else `default`, in `$env:ICAPOWERSHELL_CONFIG_PATH`, else `~/.icav2/powershell-profiles.yaml`, at `-ServerUrl` if given, else the profile's server",
                (_, _) => true),
        };

        public static CredentialSourceKind Select(TokenRequest request, IEnvironment environment) =>
            Rows.First(row => row.Applies(request, environment)).Kind;
    }
}
