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

    public void Dispose() => folder.Dispose();
}
