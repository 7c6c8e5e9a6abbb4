using System.Security;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Tests.Support;

public static class Secure
{
    public static SecureString String(string text) => SecretText.ToSecureString(text);

    public static string Plain(SecureString secret) => SecretText.ToPlainText(secret);
}
