using System.Text;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Session;

/// <summary>
/// A profile's token kept beside the profile file: a second session (another runspace or process)
/// takes it instead of minting, and nothing but the same server and key ever gets it.
/// </summary>
public sealed class KeptTokenTests : IAsyncLifetime
{
    private SessionHarness h = null!;

    public async Task InitializeAsync() => h = await SessionHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private string KeptPath(string profile = "default") => ProfileLocation.KeptTokenPath(h.ProfilePath, profile);

    [Fact]
    public void A_second_session_takes_the_kept_token_without_a_request()
    {
        h.SaveProfile();
        var minted = h.Session.GetToken(new TokenRequest());
        var other = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, minted.Origin);
        Assert.Equal(IcaTokenSource.Kept, other.Origin);
        Assert.Equal(minted.ToPlainText(), other.ToPlainText());
        Assert.Equal(1, h.Server.TokenRequests);
    }

    [Fact]
    public void The_kept_file_holds_neither_the_token_nor_the_key_in_any_readable_form()
    {
        h.SaveProfile();
        var jwt = h.Session.GetToken(new TokenRequest()).ToPlainText();
        var bytes = File.ReadAllBytes(KeptPath());
        var text = Encoding.ASCII.GetString(bytes);

        foreach (var secret in new[] { jwt, jwt.Split('.')[0], jwt.Split('.')[1], jwt.Split('.')[2], h.Server.ApiKey, Convert.ToBase64String(Encoding.UTF8.GetBytes(jwt)) })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }

        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(KeptPath()));
        }
    }

    [Fact]
    public void A_new_api_key_never_gets_the_old_token()
    {
        h.SaveProfile();
        var old = h.Session.GetToken(new TokenRequest()).ToPlainText();
        h.NewSession().OpenStore(null).Save("default", new ProfileChanges { ApiKey = Secure.String("rotated-key") });

        Assert.False(File.Exists(KeptPath()));
        var error = Assert.Throws<Core.Errors.IcaException>(() => h.NewSession().GetToken(new TokenRequest()));
        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
        Assert.DoesNotContain(old, string.Join("\n", h.Verbose), StringComparison.Ordinal);
    }

    [Fact]
    public void A_kept_token_of_another_key_is_ignored_even_when_the_file_is_copied_over()
    {
        h.SaveProfile("first");
        h.Session.GetToken(new TokenRequest { Profile = "first" });
        h.SaveProfile("second", apiKey: "another-key-rejected");
        File.Copy(KeptPath("first"), KeptPath("second"));

        var error = Assert.Throws<Core.Errors.IcaException>(() => h.NewSession().GetToken(new TokenRequest { Profile = "second" }));
        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
        Assert.Contains(h.Verbose, line => line.Contains("another server or API key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_server_given_as_a_parameter_does_not_take_the_token_kept_for_the_profiles_server()
    {
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());

        var elsewhere = h.NewSession().GetToken(new TokenRequest { ServerUrl = h.Server.Url.Replace("127.0.0.1", "localhost", StringComparison.Ordinal) });

        Assert.Equal(IcaTokenSource.Minted, elsewhere.Origin);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void A_damaged_kept_file_is_ignored_and_replaced()
    {
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());
        File.WriteAllText(KeptPath(), "not base64 at all");

        var token = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, token.Origin);
        Assert.Contains(h.Verbose, line => line.Contains("could not be used", StringComparison.Ordinal));
        Assert.Equal(IcaTokenSource.Kept, h.NewSession().GetToken(new TokenRequest()).Origin);
    }

    [Fact]
    public void An_expired_kept_token_is_not_used()
    {
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());
        h.Clock.Advance(TimeSpan.FromMinutes(56));

        Assert.Equal(IcaTokenSource.Minted, h.NewSession().GetToken(new TokenRequest()).Origin);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void Force_replaces_the_kept_token()
    {
        h.SaveProfile();
        var first = h.Session.GetToken(new TokenRequest()).ToPlainText();
        var forced = h.NewSession().GetToken(new TokenRequest { Force = true }).ToPlainText();

        Assert.NotEqual(first, forced);
        Assert.Equal(forced, h.NewSession().GetToken(new TokenRequest()).ToPlainText());
    }

    [Fact]
    public void Removing_the_profile_removes_its_kept_token()
    {
        h.SaveProfile();
        h.SaveProfile("other");
        h.Session.GetToken(new TokenRequest());
        h.Session.GetToken(new TokenRequest { Profile = "other" });

        Assert.True(h.Session.OpenStore(null).Remove("default"));
        Assert.False(File.Exists(KeptPath()));
        Assert.True(File.Exists(KeptPath("other")));

        h.Session.OpenStore(null).RemoveAll();
        Assert.False(File.Exists(KeptPath("other")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("false")]
    public void ICAPOWERSHELL_KEEP_TOKENS_off_keeps_tokens_in_the_session_only(string value)
    {
        h.Environment[EnvironmentVariables.KeepTokens] = value;
        h.SaveProfile();
        h.Session.GetToken(new TokenRequest());

        Assert.False(File.Exists(KeptPath()));
        Assert.Equal(IcaTokenSource.Minted, h.NewSession().GetToken(new TokenRequest()).Origin);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void Tokens_from_the_environment_key_are_never_written_to_a_file()
    {
        h.Environment[EnvironmentVariables.ApiKey] = h.Server.ApiKey;
        h.Environment[EnvironmentVariables.ServerUrl] = h.Server.Url;
        h.Session.GetToken(new TokenRequest());

        Assert.False(Directory.Exists(Path.GetDirectoryName(h.ProfilePath)) && Directory.EnumerateFiles(Path.GetDirectoryName(h.ProfilePath)!, "*.token").Any());
        Assert.Equal(IcaTokenSource.Minted, h.NewSession().GetToken(new TokenRequest()).Origin);
    }

    [Fact]
    public async Task Eight_cold_sessions_at_once_send_one_token_request()
    {
        h.SaveProfile();
        h.Server.Enqueue(new FakeIca.Fault(FakeIca.FaultKind.Slow, Delay: TimeSpan.FromMilliseconds(300)));
        var sessions = Enumerable.Range(0, 8).Select(_ => h.NewSession()).ToList();

        var tokens = await Task.WhenAll(sessions.Select(s => Task.Run(() => s.GetTokenAsync(new TokenRequest()))));

        Assert.Equal(1, h.Server.TokenRequests);
        Assert.Single(tokens.Select(t => t.ToPlainText()).Distinct());
        Assert.Equal(7, tokens.Count(t => t.Origin == IcaTokenSource.Kept));
    }

    [Theory]
    [InlineData("a.yaml", "b.c", "a.yaml~b.c.token")]
    [InlineData("a.b.yaml", "c", "a.b.yaml~c.token")]
    [InlineData("a*.yaml", "c", "a*.yaml~c.token")]
    public void Kept_token_names_of_two_profile_files_in_one_folder_never_collide(string file, string profile, string expected)
    {
        var profilePath = Path.Combine(h.Folder.Path, file);
        Assert.Equal(expected, Path.GetFileName(ProfileLocation.KeptTokenPath(profilePath, profile)));
        Assert.Equal(profile, ProfileLocation.KeptTokenProfile(profilePath, expected));
        Assert.Null(ProfileLocation.KeptTokenProfile(Path.Combine(h.Folder.Path, file == "a.yaml" ? "a.b.yaml" : "a.yaml"), expected));
    }

    [Fact]
    public void An_oversized_kept_file_of_ours_is_ignored_and_replaced()
    {
        h.SaveProfile();
        File.WriteAllBytes(KeptPath(), new byte[70_000]);

        Assert.Equal(IcaTokenSource.Minted, h.Session.GetToken(new TokenRequest()).Origin);
        Assert.True(new FileInfo(KeptPath()).Length < 4096);
    }

    [Fact]
    public void With_KEEP_TOKENS_all_a_token_of_the_environment_key_is_kept_for_that_key_only()
    {
        h.Environment[EnvironmentVariables.KeepTokens] = "all";
        h.Environment[EnvironmentVariables.ApiKey] = h.Server.ApiKey;
        h.Environment[EnvironmentVariables.ServerUrl] = h.Server.Url;
        var minted = h.Session.GetToken(new TokenRequest());

        Assert.True(File.Exists(KeptPath("@credential")));
        var other = h.NewSession().GetToken(new TokenRequest());
        Assert.Equal(IcaTokenSource.Kept, other.Origin);
        Assert.Equal(minted.ToPlainText(), other.ToPlainText());

        h.Environment[EnvironmentVariables.ApiKey] = "another-key-rejected";
        var error = Assert.Throws<Core.Errors.IcaException>(() => h.NewSession().GetToken(new TokenRequest()));
        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
    }

    [Fact]
    public void With_KEEP_TOKENS_all_and_no_profile_folder_the_token_stays_in_memory()
    {
        h.Environment[EnvironmentVariables.KeepTokens] = "all";
        h.Options.HomeFolder = () => null;
        var token = h.Session.GetToken(new TokenRequest { Credential = new ApiKeyCredential(Secure.String(h.Server.ApiKey)), ServerUrl = h.Server.Url });

        Assert.Equal(IcaTokenSource.Minted, token.Origin);
        Assert.Contains(h.Verbose, line => line.Contains("kept in this runspace only", StringComparison.Ordinal));
    }
}
