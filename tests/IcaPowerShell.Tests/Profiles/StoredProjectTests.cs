using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Profiles;

/// <summary>A project id stored in a profile (project-id): written, kept, removed, and checked when read.</summary>
public sealed class StoredProjectTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string ProfilePath => folder.File(".icav2", ProfileLocation.FileName);

    [Fact]
    public void A_stored_project_reads_back_survives_other_changes_and_is_removed_only_when_asked()
    {
        var store = Stores.At(ProfilePath);
        store.Save("prod", new ProfileChanges { ApiKey = Secure.String("k"), ProjectId = "0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70" });
        Assert.Contains("project-id: 0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70", File.ReadAllText(ProfilePath));

        store.Save("prod", new ProfileChanges { ColorMode = "dark" });
        Assert.Equal("0c9c2b9e-1f1e-4b1a-9d7a-2f3c4d5e6f70", Stores.At(ProfilePath).Find("prod")!.ProjectId);

        store.Save("prod", new ProfileChanges { ClearProjectId = true });
        Assert.Null(Stores.At(ProfilePath).Find("prod")!.ProjectId);
        Assert.DoesNotContain("project-id", File.ReadAllText(ProfilePath));
        Assert.Equal("dark", store.Find("prod")!.ColorMode);
    }

    [Fact]
    public void An_empty_project_id_in_the_file_means_none_and_unknown_keys_beside_it_survive()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ProfilePath)!);
        File.WriteAllText(ProfilePath, "profiles:\n  dev:\n    project-id: ''\n    team-note: keep me\n");

        Assert.Null(Stores.At(ProfilePath).Find("dev")!.ProjectId);
        Stores.At(ProfilePath).Save("dev", new ProfileChanges { ProjectId = "p-42" });
        var text = File.ReadAllText(ProfilePath);
        Assert.Contains("project-id: p-42", text);
        Assert.Contains("team-note: keep me", text);
    }

    [Theory]
    [InlineData("My trial")]
    [InlineData("projects/p1")]
    [InlineData("{projectId}")]
    [InlineData("https://ica.illumina.com/ica/rest/api/projects/p1")]
    public void A_project_id_in_the_file_that_is_no_id_makes_the_file_invalid_and_leaves_it_as_it_is(string bad)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ProfilePath)!);
        var text = $"profiles:\n  dev:\n    colormode: none\n    project-id: '{bad}'\n";
        File.WriteAllText(ProfilePath, text);

        var error = Assert.Throws<IcaException>(() => Stores.At(ProfilePath).Find("dev"));
        Assert.Equal(ErrorIds.ConfigFileInvalid, error.ErrorId);
        Assert.Contains("line 4", error.Message);
        Assert.Contains("'project-id' of profile 'dev'", error.Message);
        Assert.Equal(text, File.ReadAllText(ProfilePath));
    }

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

    public void Dispose() => folder.Dispose();
}
