using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Configuration;

/// <summary>When Set-IcaConfig prompts, what it asks, and what it says when it cannot ask.</summary>
public sealed class SetConfigPlannerTests
{
    private static readonly IcaProfile WithKey = new("dev", ServerAddress.Parse("ica.example.org"), "json", "dark", new byte[] { 1, 2, 3 });
    private static readonly IcaProfile WithoutKey = new("dev", ServerAddress.Default, "table", "none", null);

    [Fact]
    public void Nothing_bound_at_an_interactive_prompt_asks_everything()
    {
        Assert.Equal(SetConfigStep.PromptAll, SetConfigPlanner.Decide(WithKey, new ProfileChanges(), interactive: true, new TestEnvironment()));
    }

    [Fact]
    public void The_prompts_read_like_icav2s_with_current_values_in_brackets()
    {
        var labels = SetConfigPlanner.Prompts(SetConfigStep.PromptAll, WithKey).Select(p => p.Label.Trim()).ToList();
        Assert.Equal(
            new[]
            {
                "server-url [ica.example.org]",
                "API key (press enter to keep the current one)",
                "output-format (allowed values table,yaml,json defaults to json)",
                "colormode (allowed values none,dark,light defaults to dark)",
            },
            labels);
        Assert.True(SetConfigPlanner.Prompts(SetConfigStep.PromptAll, WithKey)[1].IsSecret);
        Assert.Equal("server-url [ica.illumina.com]", SetConfigPlanner.Prompts(SetConfigStep.PromptAll, null)[0].Label);
        Assert.Equal("API key", SetConfigPlanner.Prompts(SetConfigStep.PromptAll, null)[1].Label.Trim());
    }

    [Fact]
    public void Empty_answers_keep_the_current_values()
    {
        var changes = new ProfileChanges();
        foreach (var field in SetConfigPlanner.Prompts(SetConfigStep.PromptAll, WithKey).Where(f => !f.IsSecret))
        {
            SetConfigPlanner.ApplyAnswer(changes, field, "  ");
        }

        SetConfigPlanner.ApplySecretAnswer(changes, WithKey, Secure.String(string.Empty));
        Assert.True(changes.IsEmpty);
    }

    [Fact]
    public void Typed_answers_are_validated_like_parameters()
    {
        var fields = SetConfigPlanner.Prompts(SetConfigStep.PromptAll, null);
        var changes = new ProfileChanges();
        SetConfigPlanner.ApplyAnswer(changes, fields[0], "https://ica.example.org");
        SetConfigPlanner.ApplyAnswer(changes, fields[2], "YAML");
        Assert.Equal("ica.example.org", changes.Server!.Display);
        Assert.Equal("yaml", changes.OutputFormat);
        var error = Assert.Throws<IcaException>(() => SetConfigPlanner.ApplyAnswer(changes, fields[3], "purple"));
        Assert.Equal("IcaInvalidSetting", error.ErrorId);
    }

    [Fact]
    public void No_key_typed_for_a_profile_without_one_is_an_error()
    {
        var error = Assert.Throws<IcaException>(() => SetConfigPlanner.ApplySecretAnswer(new ProfileChanges(), WithoutKey, Secure.String(" ")));
        Assert.Equal("IcaEmptyApiKey", error.ErrorId);
    }

    [Fact]
    public void A_bound_change_to_a_profile_with_a_key_just_saves()
    {
        Assert.Equal(SetConfigStep.Save, SetConfigPlanner.Decide(WithKey, new ProfileChanges { ColorMode = "light" }, interactive: false, new TestEnvironment()));
    }

    [Fact]
    public void A_new_profile_without_a_key_asks_for_the_key_only_when_someone_can_answer()
    {
        Assert.Equal(SetConfigStep.PromptApiKey, SetConfigPlanner.Decide(null, new ProfileChanges { OutputFormat = "json" }, interactive: true, new TestEnvironment()));
        Assert.Equal("API key", SetConfigPlanner.Prompts(SetConfigStep.PromptApiKey, null).Single().Label.Trim());
    }

    [Fact]
    public void Non_interactive_without_a_key_fails_naming_the_parameter_and_the_variable()
    {
        var error = Assert.Throws<IcaException>(() => SetConfigPlanner.Decide(null, new ProfileChanges(), interactive: false, new TestEnvironment()));
        Assert.Equal("IcaApiKeyRequired", error.ErrorId);
        Assert.Equal("ApiKey", error.Target);
        Assert.Contains("-ApiKey", error.Message);
        Assert.Contains(EnvironmentVariables.ApiKey, error.Message);
        Assert.Contains("non-interactive", error.Message);
    }

    [Fact]
    public void Non_interactive_takes_the_key_from_ICAV2_X_API_KEY_and_says_so_without_changing_anything()
    {
        var changes = new ProfileChanges();
        var step = SetConfigPlanner.Decide(WithoutKey, changes, interactive: false, new TestEnvironment { [EnvironmentVariables.ApiKey] = "env-key" });
        Assert.Equal(SetConfigStep.UseEnvironmentKey, step);
        Assert.Null(changes.ApiKey);
    }

    [Fact]
    public void An_empty_ApiKey_parameter_is_refused()
    {
        var error = Assert.Throws<IcaException>(() => SetConfigPlanner.RequireNonEmptyKey(Secure.String("   ")));
        Assert.Equal("IcaEmptyApiKey", error.ErrorId);
        SetConfigPlanner.RequireNonEmptyKey(Secure.String("k"));
        SetConfigPlanner.RequireNonEmptyKey(null);
    }
}
