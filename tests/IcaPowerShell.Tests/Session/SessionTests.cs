using System.Collections.Concurrent;
using FakeIca;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Diagnostics;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Session;

public sealed class SessionTests : IAsyncLifetime
{
    private SessionHarness h = null!;

    public async Task InitializeAsync() => h = await SessionHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private IcaToken Get(TokenRequest? request = null) => h.Session.GetToken(request ?? new TokenRequest());

    [Fact]
    public void The_first_call_mints_and_the_next_ones_come_from_the_cache()
    {
        h.SaveProfile();
        var first = Get();
        var second = Get();
        var third = Get();

        Assert.Equal(IcaTokenSource.Minted, first.Origin);
        Assert.Equal(IcaTokenSource.Cache, second.Origin);
        Assert.Same(second, third);
        Assert.Equal(first.ToPlainText(), second.ToPlainText());
        Assert.Equal("default", first.Profile);
        Assert.Equal(h.Server.Url, first.ServerUrl);
        Assert.Equal("fake-tenant", first.Tenant);
        Assert.Equal(1, h.Server.TokenRequests);
    }

    [Fact]
    public void The_token_is_renewed_once_within_the_refresh_margin_of_exp()
    {
        h.Server.TokenLifetime = TimeSpan.FromHours(1);
        h.SaveProfile();
        var first = Get();

        h.Clock.Advance(TimeSpan.FromMinutes(54));
        Assert.Equal(IcaTokenSource.Cache, Get().Origin);
        Assert.Equal(1, h.Server.TokenRequests);

        h.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var renewed = Get();
        Assert.Equal(IcaTokenSource.Minted, renewed.Origin);
        Assert.NotEqual(first.ToPlainText(), renewed.ToPlainText());
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void A_short_lived_token_is_renewed_at_nine_tenths_of_its_life()
    {
        h.Server.TokenLifetime = TimeSpan.FromSeconds(100);
        h.SaveProfile();
        Get();
        h.Clock.Advance(TimeSpan.FromSeconds(89));
        Assert.Equal(IcaTokenSource.Cache, Get().Origin);
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(IcaTokenSource.Minted, Get().Origin);
    }

    [Fact]
    public void Force_mints_a_new_token_now()
    {
        h.SaveProfile();
        Get();
        Assert.Equal(IcaTokenSource.Minted, Get(new TokenRequest { Force = true }).Origin);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public async Task A_thousand_callers_on_a_cold_cache_make_one_request()
    {
        h.SaveProfile();
        h.Server.Enqueue(new Fault(FaultKind.Slow, Delay: TimeSpan.FromMilliseconds(300)));
        using var start = new ManualResetEventSlim();
        var callers = Enumerable.Range(0, 1000).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await h.Session.GetTokenAsync(new TokenRequest());
        })).ToList();
        start.Set();
        var tokens = await Task.WhenAll(callers);

        Assert.Equal(1, h.Server.TokenRequests);
        Assert.Single(tokens.Select(t => t.ToPlainText()).Distinct());
    }

    [Fact]
    public async Task A_failed_mint_is_not_cached()
    {
        h.SaveProfile();
        h.Server.Enqueue(new Fault(FaultKind.Forbidden));
        var error = Assert.Throws<IcaException>(() => Get());
        Assert.Equal("IcaAccessDenied", error.ErrorId);

        Assert.Equal(IcaTokenSource.Minted, (await h.Session.GetTokenAsync(new TokenRequest())).Origin);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void A_failed_renewal_falls_back_to_the_still_valid_cached_token()
    {
        h.SaveProfile();
        var first = Get();
        h.Clock.Advance(TimeSpan.FromMinutes(56));
        h.Server.StandingFault = new Fault(FaultKind.ServiceUnavailable);

        var again = Get();

        Assert.Equal(first.ToPlainText(), again.ToPlainText());
        Assert.Contains(h.Verbose, line => line.Contains("cached one is valid until"));
        h.Clock.Advance(TimeSpan.FromMinutes(4));
        Assert.Throws<IcaException>(() => Get());
    }

    [Fact]
    public void Parameters_beat_the_environment_which_beats_the_profile()
    {
        h.SaveProfile(apiKey: "a-key-ICA-rejects");
        h.Environment[EnvironmentVariables.ApiKey] = h.Server.ApiKey;
        h.Environment[EnvironmentVariables.ServerUrl] = h.Server.Url;

        var fromEnvironment = Get();
        Assert.Null(fromEnvironment.Profile);

        h.Environment[EnvironmentVariables.ApiKey] = "also-rejected";
        // The environment's key is now one ICA rejects: without a parameter, that is the error...
        Assert.Equal("IcaApiKeyRejected", Assert.Throws<IcaException>(() => Get()).ErrorId);

        // ...and the parameter's key wins over it. It is the key the first token was minted with,
        // for the same server, so that token is shared: one key, one cache slot.
        var fromParameter = Get(new TokenRequest { Credential = new ApiKeyCredential(Secure.String(h.Server.ApiKey)) });
        Assert.Equal(IcaTokenSource.Cache, fromParameter.Origin);
        Assert.Equal(fromEnvironment.ToPlainText(), fromParameter.ToPlainText());
        Assert.Equal(h.Server.Url, fromParameter.ServerUrl);
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void ICAV2_ACCESS_TOKEN_is_used_as_it_is_while_it_lives()
    {
        h.SaveProfile();
        var jwt = h.Server.MintToken(TimeSpan.FromMinutes(10));
        h.Environment[EnvironmentVariables.AccessToken] = jwt;

        var token = Get();

        Assert.Equal(IcaTokenSource.Environment, token.Origin);
        Assert.Equal(jwt, token.ToPlainText());
        Assert.Equal(0, h.Server.TokenRequests);

        h.Clock.Advance(TimeSpan.FromMinutes(11));
        var error = Assert.Throws<IcaException>(() => Get());
        Assert.Equal("IcaEnvironmentTokenExpired", error.ErrorId);
        Assert.Contains(EnvironmentVariables.AccessToken, error.Message);
        Assert.DoesNotContain(jwt, error.Message);
    }

    [Fact]
    public void ICAV2_ACCESS_TOKEN_that_is_not_a_JWT_is_refused()
    {
        h.Environment[EnvironmentVariables.AccessToken] = "not-a-token";
        var error = Assert.Throws<IcaException>(() => Get());
        Assert.Equal("IcaEnvironmentTokenInvalid", error.ErrorId);
        Assert.DoesNotContain("not-a-token", error.Message);
    }

    [Fact]
    public void The_profile_comes_from_the_parameter_then_ICAV2_PROFILE_then_default()
    {
        h.SaveProfile("default");
        h.SaveProfile("other");
        h.Environment[EnvironmentVariables.Profile] = "other";

        Assert.Equal("other", Get().Profile);
        Assert.Equal("default", Get(new TokenRequest { Profile = "default" }).Profile);
    }

    [Fact]
    public void A_missing_profile_says_how_to_create_one_and_never_falls_back()
    {
        h.SaveProfile("default");
        var error = Assert.Throws<IcaException>(() => Get(new TokenRequest { Profile = "prod" }));
        Assert.Equal("IcaProfileNotFound", error.ErrorId);
        Assert.Contains("Set-IcaConfig -Profile prod", error.Message);
        Assert.Equal(0, h.Server.TokenRequests);
    }

    [Fact]
    public void A_profile_without_a_key_says_so()
    {
        h.Session.OpenStore(null).Save("nokey", new ProfileChanges { Server = ServerAddress.Parse(h.Server.Url) });
        var error = Assert.Throws<IcaException>(() => Get(new TokenRequest { Profile = "nokey" }));
        Assert.Equal("IcaApiKeyRequired", error.ErrorId);
    }

    [Fact]
    public void Basic_authentication_tokens_are_refreshed_not_minted_again()
    {
        var request = new TokenRequest
        {
            Credential = new BasicCredential(h.Server.UserName, Secure.String(h.Server.Password), h.Server.Tenant),
            ServerUrl = h.Server.Url,
        };
        Assert.Equal(IcaTokenSource.Minted, Get(request).Origin);
        h.Clock.Advance(TimeSpan.FromMinutes(56));

        Assert.Equal(IcaTokenSource.Refreshed, Get(request).Origin);
        Assert.Equal(1, h.Server.TokenRequests);
        Assert.Equal(1, h.Server.RefreshRequests);
    }

    [Fact]
    public void API_key_tokens_are_minted_again_never_refreshed()
    {
        h.SaveProfile();
        Get();
        h.Clock.Advance(TimeSpan.FromMinutes(56));
        Get();
        Assert.Equal(2, h.Server.TokenRequests);
        Assert.Equal(0, h.Server.RefreshRequests);
    }

    [Fact]
    public void Two_sessions_like_two_runspaces_share_no_memory_when_tokens_are_not_kept()
    {
        h.Environment[EnvironmentVariables.KeepTokens] = "0";
        h.SaveProfile();
        var one = Get();
        var other = h.NewSession().GetToken(new TokenRequest());

        Assert.Equal(IcaTokenSource.Minted, one.Origin);
        Assert.Equal(IcaTokenSource.Minted, other.Origin);
        Assert.NotEqual(one.ToPlainText(), other.ToPlainText());
        Assert.Equal(2, h.Server.TokenRequests);
    }

    [Fact]
    public void Forgetting_a_profile_drops_its_token_and_reloads_its_key()
    {
        h.SaveProfile();
        Get();
        h.SaveProfile(apiKey: "changed-and-rejected");
        Assert.Equal(IcaTokenSource.Cache, Get().Origin);

        h.Session.Forget(null, "default");

        var error = Assert.Throws<IcaException>(() => Get());
        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
    }

    [Fact]
    public void A_profile_changed_by_another_process_is_reloaded_when_a_mint_is_due()
    {
        h.SaveProfile();
        Get();
        h.NewSession().OpenStore(null).Save("default", new ProfileChanges { ApiKey = Secure.String("rotated-but-rejected") });
        h.Clock.Advance(TimeSpan.FromMinutes(56));

        var error = Assert.Throws<IcaException>(() => Get(new TokenRequest { Force = true }));
        Assert.Equal("IcaApiKeyRejected", error.ErrorId);
    }

    [Fact]
    public void A_server_given_as_a_parameter_overrides_the_profiles()
    {
        h.Session.OpenStore(null).Save("default", new ProfileChanges { Server = ServerAddress.Parse("ica.invalid.example"), ApiKey = Secure.String(h.Server.ApiKey) });
        var token = Get(new TokenRequest { ServerUrl = h.Server.Url });
        Assert.Equal(h.Server.Url, token.ServerUrl);
    }

    [Fact]
    public void ICAV2_ICA_NO_RETRY_RATE_LIMITING_set_in_the_environment_turns_retries_off_at_the_next_call()
    {
        h.SaveProfile();
        h.Environment[EnvironmentVariables.NoRetryRateLimiting] = "1";
        h.Server.Enqueue(new Fault(FaultKind.ServiceUnavailable));
        Assert.Equal("IcaServerError", Assert.Throws<IcaException>(() => Get()).ErrorId);
        Assert.Equal(1, h.Server.TokenRequests);

        h.Environment[EnvironmentVariables.NoRetryRateLimiting] = null;
        h.Server.Enqueue(new Fault(FaultKind.ServiceUnavailable));
        Assert.Equal(IcaTokenSource.Minted, Get().Origin);
        Assert.Equal(3, h.Server.TokenRequests);
    }

    [Fact]
    public void HTTPS_PROXY_set_in_the_environment_is_used_for_an_https_server()
    {
        h.Environment[EnvironmentVariables.ApiKey] = h.Server.ApiKey;
        h.Environment[EnvironmentVariables.ServerUrl] = "ica.example.invalid";
        h.Environment[EnvironmentVariables.NoRetryRateLimiting] = "1";
        h.Environment["HTTPS_PROXY"] = h.Server.Url;

        Assert.Equal("IcaConnectionFailed", Assert.Throws<IcaException>(() => Get()).ErrorId);
        Assert.Equal(1, h.Server.ProxiedRequests);
    }

    [Fact]
    public void What_the_key_protection_chose_reaches_the_running_cmdlets_verbose_stream()
    {
        var lines = new ConcurrentQueue<string>();
        using (EngineLog.Use(lines.Enqueue, null))
        {
            h.SaveProfile();
        }

        Assert.Contains(lines, line => line.Contains("Created the encryption key file"));
    }
}
