using System.Text;
using System.Text.RegularExpressions;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Session;

/// <summary>
/// The quick way to a kept token: taken without parsing the profile or decrypting its key only
/// while the profile file is byte for byte the one the token was minted from; any edit, by hand
/// or by Set-IcaConfig, goes the full way, where a changed key or server never gets the old token.
/// </summary>
public sealed class KeptTokenQuickPathTests : IAsyncLifetime
{
    private const string QuickLine = "the profile file is unchanged since";
    private const string LoadingLine = "Loading profile";

    private SessionHarness h = null!;

    public async Task InitializeAsync() => h = await SessionHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private string KeptPath(string profile = "default") => ProfileLocation.KeptTokenPath(h.ProfilePath, profile);

    [Fact]
    public void A_second_session_takes_the_kept_token_without_loading_the_profile()
    {
        h.SaveProfile();
        var minted = h.Session.GetToken(new TokenRequest()).ToPlainText();
        h.Verbose.Clear();

        var kept = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Kept, kept.Origin);
        Assert.Equal(minted, kept.ToPlainText());
        Assert.Equal(h.Server.Url.TrimEnd('/'), kept.ServerUrl.TrimEnd('/'));
        Assert.Contains(h.Verbose, line => line.Contains(QuickLine, StringComparison.Ordinal));
        Assert.DoesNotContain(h.Verbose, line => line.Contains(LoadingLine, StringComparison.Ordinal));
        Assert.Equal(1, h.Server.TokenRequests);
    }

    [Fact]
    public void A_key_swapped_into_the_profile_by_hand_never_gets_the_old_token()
    {
        h.SaveProfile();
        h.SaveProfile("other", apiKey: "another-key-rejected");
        var old = h.Session.GetToken(new TokenRequest()).ToPlainText();
        var text = File.ReadAllText(h.ProfilePath);
        var keys = Regex.Matches(text, "x-api-key: (.*)").Select(m => m.Groups[1].Value).ToList();
        File.WriteAllText(h.ProfilePath, text.Replace(keys[0], "SWAP").Replace(keys[1], keys[0]).Replace("SWAP", keys[1]));
        h.Verbose.Clear();

        var error = Assert.Throws<Core.Errors.IcaException>(() => h.NewSession().GetToken(new TokenRequest()));

        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
        Assert.Equal(2, h.Server.TokenRequests);
        Assert.Contains(h.Verbose, line => line.Contains("another server or API key", StringComparison.Ordinal));
        Assert.DoesNotContain(old, string.Join("\n", h.Verbose), StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_changed_by_hand_never_gets_the_token_of_the_old_server()
    {
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());
        var elsewhere = h.Server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        File.WriteAllText(h.ProfilePath, File.ReadAllText(h.ProfilePath).Replace(h.Server.Url.TrimEnd('/'), elsewhere.TrimEnd('/'), StringComparison.Ordinal));

        var token = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, token.Origin);
        Assert.Contains("localhost", token.ServerUrl, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void A_ServerUrl_given_for_the_call_is_part_of_the_binding()
    {
        h.SaveProfile();
        var elsewhere = h.Server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        h.Session.GetToken(new TokenRequest { ServerUrl = elsewhere });

        var token = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, token.Origin);
        Assert.Contains("127.0.0.1", token.ServerUrl, StringComparison.Ordinal);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void An_edit_that_keeps_the_credential_goes_the_full_way_once_then_the_quick_way_again()
    {
        h.SaveProfile();
        var minted = h.Session.GetToken(new TokenRequest()).ToPlainText();
        File.AppendAllText(h.ProfilePath, "# a comment added by hand\n");
        h.Verbose.Clear();

        var full = h.NewSession().GetToken(new TokenRequest());
        Assert.Equal(IcaTokenSource.Kept, full.Origin);
        Assert.Equal(minted, full.ToPlainText());
        Assert.Contains(h.Verbose, line => line.Contains("profile file changed since", StringComparison.Ordinal));
        Assert.Contains(h.Verbose, line => line.Contains(LoadingLine, StringComparison.Ordinal));
        h.Verbose.Clear();

        var quick = h.NewSession().GetToken(new TokenRequest());
        Assert.Equal(minted, quick.ToPlainText());
        Assert.Contains(h.Verbose, line => line.Contains(QuickLine, StringComparison.Ordinal));
        Assert.Equal(1, h.Server.TokenRequests);
    }

    [Fact]
    public void A_tampered_kept_record_is_ignored_and_replaced()
    {
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());
        var envelope = Convert.FromBase64String(File.ReadAllText(KeptPath()).Trim());
        envelope[envelope.Length / 2] ^= 0x01;
        File.WriteAllText(KeptPath(), Convert.ToBase64String(envelope) + "\n");
        h.Verbose.Clear();

        var token = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, token.Origin);
        Assert.Contains(h.Verbose, line => line.Contains("changed since it was written", StringComparison.Ordinal));
        Assert.Equal(IcaTokenSource.Kept, h.NewSession().GetToken(new TokenRequest()).Origin);
    }

    [Fact]
    public void A_record_bound_to_another_profiles_file_bytes_is_not_taken_the_quick_way()
    {
        // Two profiles with the same key: the record of one, copied over the other's, is bound to
        // another profile name, so only the full way (key fingerprint) may accept it.
        h.SaveProfile("first");
        h.SaveProfile("second");
        var first = h.Session.GetToken(new TokenRequest { Profile = "first" }).ToPlainText();
        File.Copy(KeptPath("first"), KeptPath("second"));
        h.Verbose.Clear();

        var second = h.NewSession().GetToken(new TokenRequest { Profile = "second" });

        Assert.Equal(first, second.ToPlainText());
        Assert.DoesNotContain(h.Verbose, line => line.Contains(QuickLine, StringComparison.Ordinal));
        Assert.Contains(h.Verbose, line => line.Contains(LoadingLine, StringComparison.Ordinal));
    }

    [Fact]
    public void A_profile_file_others_can_read_is_loaded_and_tightened_before_its_token_is_taken()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }

        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());
        File.SetUnixFileMode(h.ProfilePath, File.GetUnixFileMode(h.ProfilePath) | UnixFileMode.OtherRead);
        h.Verbose.Clear();

        var token = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Kept, token.Origin);
        Assert.Contains(h.Verbose, line => line.Contains(LoadingLine, StringComparison.Ordinal));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(h.ProfilePath));
    }

    [Fact]
    public void A_format_1_record_written_before_the_binding_is_still_taken_the_full_way()
    {
        h.SaveProfile();
        var minted = h.Session.GetToken(new TokenRequest()).ToPlainText();
        var store = h.Session.OpenStore(null);
        var salt = new byte[32];
        var credential = new ApiKeyCredential(Secure.String(h.Server.ApiKey));
        var payload = string.Join("\n", "icapowershell-kept-token 1", Convert.ToBase64String(salt), credential.FingerprintUnder(salt), ServerAddress.Parse(h.Server.Url).BaseUri.AbsoluteUri, minted);
        File.WriteAllText(KeptPath(), Convert.ToBase64String(store.Protection.Protect(Encoding.UTF8.GetBytes(payload))) + "\n");
        h.Verbose.Clear();

        var kept = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Kept, kept.Origin);
        Assert.Equal(minted, kept.ToPlainText());
        Assert.Contains(h.Verbose, line => line.Contains(LoadingLine, StringComparison.Ordinal));
        Assert.Equal(1, h.Server.TokenRequests);
    }
}
