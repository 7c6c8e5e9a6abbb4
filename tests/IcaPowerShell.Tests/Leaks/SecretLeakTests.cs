using System.Text;
using FakeIca;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Leaks;

/// <summary>
/// Runs every path that handles the key or a token, including failures and a server that echoes
/// secrets back, and then searches everything the module produced for the secrets' bytes.
/// </summary>
public sealed class SecretLeakTests : IAsyncLifetime
{
    private readonly List<string> texts = new();
    private SessionHarness h = null!;

    public async Task InitializeAsync() => h = await SessionHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public void No_key_or_token_appears_in_files_errors_verbose_lines_or_output_objects()
    {
        var store = h.Session.OpenStore(null);
        h.SaveProfile();
        var config = new IcaConfig(store.Find("default")!, store.Path);
        texts.AddRange(new[] { config.ApiKey, config.KeyProtection, config.ToString(), config.ServerUrl, config.Path });

        var minted = h.Session.GetToken(new TokenRequest());
        var cached = h.Session.GetToken(new TokenRequest());
        texts.AddRange(new[] { minted.ToString(), cached.ToString(), minted.Tenant ?? string.Empty, minted.ServerUrl });

        foreach (var fault in Enum.GetValues<FaultKind>().Where(f => f is not (FaultKind.Slow or FaultKind.None)))
        {
            h.Server.StandingFault = new Fault(fault, RetryAfterSeconds: 1);
            Capture(() => h.Session.GetToken(new TokenRequest { Force = true }), fault.ToString());
        }

        h.Server.StandingFault = null;
        var basic = new TokenRequest { Credential = new BasicCredential(h.Server.UserName, Secure.String(h.Server.Password), h.Server.Tenant), ServerUrl = h.Server.Url };
        texts.Add(h.Session.GetToken(basic).ToString());
        h.Clock.Advance(TimeSpan.FromMinutes(57));
        texts.Add(h.Session.GetToken(basic).ToString());
        texts.Add(h.Session.GetToken(new TokenRequest()).ToString());
        Capture(() => h.Session.GetToken(new TokenRequest { Credential = new ApiKeyCredential(Secure.String(h.Server.ApiKey + "-wrong")), ServerUrl = h.Server.Url }));
        Capture(() => h.Session.GetToken(new TokenRequest { Credential = new BasicCredential(h.Server.UserName, Secure.String(h.Server.Password + "x"), null), ServerUrl = h.Server.Url }));
        h.Environment[EnvironmentVariables.AccessToken] = "broken." + minted.ToPlainText();
        Capture(() => h.Session.GetToken(new TokenRequest()));
        h.Environment[EnvironmentVariables.AccessToken] = h.Server.MintToken(TimeSpan.FromSeconds(-10));
        Capture(() => h.Session.GetToken(new TokenRequest()));
        texts.AddRange(h.Verbose);

        var secrets = new[] { h.Server.ApiKey, h.Server.Password }.Concat(h.Server.IssuedTokens).ToList();
        Assert.True(h.Server.IssuedTokens.Count >= 6, "the scenario minted too few tokens to mean anything");
        Assert.True(texts.Count > 30, "the scenario produced too little text to mean anything");
        foreach (var secret in secrets)
        {
            var forms = Forms(secret);
            Assert.DoesNotContain(texts, text => forms.Any(form => text.Contains(form, StringComparison.Ordinal)));
            foreach (var (path, content) in h.Folder.AllFiles())
            {
                Assert.False(forms.Any(form => Contains(content, Encoding.UTF8.GetBytes(form)) || Contains(content, Encoding.Unicode.GetBytes(form))), $"a secret is in {path}");
            }
        }
    }

    private void Capture(Action action, string what = "")
    {
        Exception? error = null;
        try
        {
            action();
        }
        catch (Exception ex)
        {
            error = ex;
        }

        Assert.True(error != null, $"no error for {what}");
        Assert.IsType<IcaException>(error);
        for (var e = error; e != null; e = e.InnerException)
        {
            texts.Add(e.Message);
        }

        texts.Add(error.ToString());
    }

    /// <summary>The secret as text, and its payload when it is a JWT: a token cut short must not slip through.</summary>
    private static string[] Forms(string secret)
    {
        var parts = secret.Split('.');
        return parts.Length == 3 ? new[] { secret, parts[1], parts[2] } : new[] { secret };
    }

    private static bool Contains(byte[] haystack, byte[] needle) =>
        haystack.AsSpan().IndexOf(needle) >= 0;
}
