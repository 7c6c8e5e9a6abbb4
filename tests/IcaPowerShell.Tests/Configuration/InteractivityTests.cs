using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Configuration;

public sealed class InteractivityTests
{
    private static readonly string[] Pwsh = { "/usr/bin/pwsh" };

    [Fact]
    public void A_plain_pwsh_with_a_user_is_interactive() =>
        Assert.True(Interactivity.IsInteractive(Pwsh, new TestEnvironment(), userInteractive: true));

    [Theory]
    [InlineData("-NonInteractive")]
    [InlineData("-noni")]
    [InlineData("-NonInter")]
    [InlineData("/NonInteractive")]
    public void Any_abbreviation_of_NonInteractive_is_recognised(string argument) =>
        Assert.False(Interactivity.IsInteractive(new[] { "pwsh", "-NoProfile", argument, "-File", "x.ps1" }, new TestEnvironment(), userInteractive: true));

    [Theory]
    [InlineData("-Non")]
    [InlineData("-NoProfile")]
    [InlineData("-Nologo")]
    public void Other_switches_are_not_taken_for_it(string argument) =>
        Assert.True(Interactivity.IsInteractive(new[] { "pwsh", argument }, new TestEnvironment(), userInteractive: true));

    [Theory]
    [InlineData("TF_BUILD", "True")]
    [InlineData("GITHUB_ACTIONS", "true")]
    [InlineData("CI", "1")]
    [InlineData("AUTOMATION_ASSET_ACCOUNTID", "0b1c")]
    public void Pipelines_and_runbooks_are_not_interactive(string variable, string value) =>
        Assert.False(Interactivity.IsInteractive(Pwsh, new TestEnvironment { [variable] = value }, userInteractive: true));

    [Fact]
    public void A_process_without_a_user_is_not_interactive() =>
        Assert.False(Interactivity.IsInteractive(Pwsh, new TestEnvironment(), userInteractive: false));
}
