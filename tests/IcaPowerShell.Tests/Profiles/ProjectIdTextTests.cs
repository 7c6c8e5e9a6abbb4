using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;

namespace IcaPowerShell.Tests.Profiles;

/// <summary>What a project id may look like: the same rule on every runtime, Windows PowerShell 5.1's too.</summary>
public sealed class ProjectIdTextTests
{
    [Theory]
    [InlineData("0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70", true)]
    [InlineData("p00001", true)]
    [InlineData("a_b-C9", true)]
    [InlineData("", false)]
    [InlineData("my trial", false)]
    [InlineData("p1\r\nX-Evil: 1", false)]
    [InlineData("../p1", false)]
    [InlineData("p1?x=1", false)]
    [InlineData("p%2F1", false)]
    public void Only_letters_digits_dash_and_underscore_make_a_plausible_project_id(string value, bool plausible)
    {
        Assert.Equal(plausible, ProjectIdText.IsPlausible(value));
    }

    [Fact]
    public void A_project_id_of_129_characters_is_refused_with_its_own_error_id_naming_the_source()
    {
        Assert.Equal(new string('a', 128), ProjectIdText.Validate(" " + new string('a', 128) + " ", "-ProjectId"));
        var error = Assert.Throws<IcaException>(() => ProjectIdText.Validate(new string('a', 129), "-ProjectId"));
        Assert.Equal(ErrorIds.InvalidProjectId, error.ErrorId);
        Assert.Equal("-ProjectId", error.Target);
    }
}
