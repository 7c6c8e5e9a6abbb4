using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Session;

/// <summary>
/// Which project fills {projectId} in a call: the runspace's Set-IcaContext project, else
/// $env:ICAV2_PROJECT_ID, else the project stored in the profile that call takes its token from.
/// </summary>
public sealed class ProjectPrecedenceTests : IAsyncLifetime
{
    private SessionHarness h = null!;

    public async Task InitializeAsync()
    {
        h = await SessionHarness.StartAsync();
        h.SaveProfile("default");
        h.SaveProfile("other");
        h.Session.OpenStore(null).Save("default", new ProfileChanges { ProjectId = "p-default" });
        h.Session.OpenStore(null).Save("other", new ProfileChanges { ProjectId = "p-other" });
    }

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public void A_call_takes_the_project_of_the_profile_it_uses_an_explicit_one_over_the_default()
    {
        Assert.Equal(("p-default", "profile 'default'"), h.Session.ProjectFor(new TokenRequest()));
        Assert.Equal(("p-other", "profile 'other'"), h.Session.ProjectFor(new TokenRequest(Profile: "other")));
        h.Environment[EnvironmentVariables.Profile] = "other";
        Assert.Equal("p-other", h.Session.ProjectFor(new TokenRequest())?.Id);
    }

    [Fact]
    public void The_environment_beats_the_default_profiles_stored_project_and_the_context_beats_both()
    {
        h.Environment[EnvironmentVariables.ProjectId] = " p-env ";
        Assert.Equal(("p-env", "$env:ICAV2_PROJECT_ID"), h.Session.ProjectFor(new TokenRequest()));
        Assert.Equal(("p-env", "$env:ICAV2_PROJECT_ID"), h.Session.ProjectFor(new TokenRequest(Profile: "default")));

        h.Session.SetContext(new IcaContextChoice("other", null, "p-context"));
        Assert.Equal(("p-context", "Set-IcaContext"), h.Session.ProjectFor(new TokenRequest()));
        Assert.Equal(("p-context", "Set-IcaContext"), h.Session.ProjectFor(new TokenRequest(Profile: "other")));
    }

    [Fact]
    public void A_call_that_names_another_credential_never_takes_the_contexts_project_and_its_stored_one_beats_the_environment()
    {
        h.Environment[EnvironmentVariables.ProjectId] = "p-env";
        h.Session.SetContext(new IcaContextChoice("default", null, "p-context"));
        Assert.Equal(("p-other", "profile 'other'"), h.Session.ProjectFor(new TokenRequest(Profile: "other")));
        Assert.Equal(("p-env", "$env:ICAV2_PROJECT_ID"), h.Session.ProjectFor(new TokenRequest(Credential: new Core.Tokens.ApiKeyCredential(Secure.String("k")))));
        Assert.Equal(("p-default", "profile 'default'"), h.Session.ProjectFor(new TokenRequest(ServerUrl: "https://other.example")));
        h.Environment[EnvironmentVariables.ProjectId] = null;
        Assert.Null(h.Session.ProjectFor(new TokenRequest(Credential: new Core.Tokens.ApiKeyCredential(Secure.String("k")))));
    }

    [Fact]
    public void A_project_variable_that_holds_no_id_is_named_instead_of_being_sent()
    {
        h.Environment[EnvironmentVariables.ProjectId] = "My trial";
        var error = Assert.Throws<IcaException>(() => h.Session.ProjectFor(new TokenRequest()));
        Assert.Equal(ErrorIds.InvalidProjectId, error.ErrorId);
        Assert.Contains("$env:ICAV2_PROJECT_ID", error.Message);
    }

    [Fact]
    public void The_context_profile_brings_its_stored_project()
    {
        h.Session.SetContext(new IcaContextChoice("other", null, null));
        Assert.Equal("p-other", h.Session.ProjectFor(new TokenRequest())?.Id);
    }

    [Fact]
    public void A_token_that_comes_from_no_profile_brings_no_stored_project_and_the_file_is_not_read()
    {
        h.Environment[EnvironmentVariables.ApiKey] = h.Server.ApiKey;
        Assert.Null(h.Session.ProjectFor(new TokenRequest()));
        Assert.Null(h.Session.ProjectFor(new TokenRequest(Credential: new Core.Tokens.ApiKeyCredential(Secure.String("k")))));
        File.WriteAllText(h.ProfilePath, "not: [valid");
        Assert.Null(h.Session.ProjectFor(new TokenRequest()));
    }

    [Fact]
    public void A_missing_profile_is_named_rather_than_reported_as_no_project()
    {
        var error = Assert.Throws<IcaException>(() => h.Session.ProjectFor(new TokenRequest(Profile: "gone")));
        Assert.Equal(ErrorIds.ProfileNotFound, error.ErrorId);
    }

    [Fact]
    public async Task Get_IcaContext_shows_where_the_project_comes_from_without_minting()
    {
        var view = await h.Session.DescribeAsync(new TokenRequest(Profile: "other"), mint: false, CancellationToken.None);
        Assert.Equal("p-other", view.ProjectId);
        Assert.Equal("profile 'other'", view.ProjectFrom);
        Assert.Equal(0, h.Server.TokenRequests);
    }
}
