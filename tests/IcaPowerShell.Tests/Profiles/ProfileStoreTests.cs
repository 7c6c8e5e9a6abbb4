using System.Runtime.InteropServices;
using System.Text;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Profiles;

public sealed class ProfileStoreTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string ProfilePath => folder.File(".icav2", ProfileLocation.FileName);

    [Fact]
    public void A_saved_profile_reads_back_with_its_key_decrypted()
    {
        var store = Stores.At(ProfilePath);
        store.Save("default", new ProfileChanges
        {
            Server = ServerAddress.Parse("https://ica.example.org"),
            ApiKey = Secure.String("key-one"),
            OutputFormat = "json",
            ColorMode = "dark",
        });

        var profile = Stores.At(ProfilePath).Find("default")!;
        Assert.Equal("ica.example.org", profile.Server.Display);
        Assert.Equal("json", profile.OutputFormat);
        Assert.Equal("dark", profile.ColorMode);
        Assert.Equal("key-one", Secure.Plain(store.ReadApiKey(profile)));
    }

    [Fact]
    public void A_new_profile_gets_icav2s_defaults()
    {
        var store = Stores.At(ProfilePath);
        var profile = store.Save("dev", Stores.Key("k"));
        Assert.Equal(ServerAddress.DefaultHost, profile.Server.Display);
        Assert.Equal("table", profile.OutputFormat);
        Assert.Equal("none", profile.ColorMode);
    }

    [Fact]
    public void Only_the_changes_given_are_applied_and_other_profiles_are_untouched()
    {
        var store = Stores.At(ProfilePath);
        store.Save("a", new ProfileChanges { ApiKey = Secure.String("key-a"), OutputFormat = "yaml" });
        store.Save("b", new ProfileChanges { ApiKey = Secure.String("key-b"), ColorMode = "light" });

        store.Save("a", new ProfileChanges { ColorMode = "dark" });

        var a = store.Find("a")!;
        Assert.Equal("yaml", a.OutputFormat);
        Assert.Equal("dark", a.ColorMode);
        Assert.Equal("key-a", Secure.Plain(store.ReadApiKey(a)));
        var b = store.Find("b")!;
        Assert.Equal("light", b.ColorMode);
        Assert.Equal("key-b", Secure.Plain(store.ReadApiKey(b)));
    }

    [Fact]
    public void The_file_uses_icav2s_key_names_and_a_binary_key_that_is_not_the_plain_key()
    {
        Stores.At(ProfilePath).Save("default", Stores.Key("plain-text-key-12345"));
        var text = File.ReadAllText(ProfilePath);

        Assert.Contains("server-url: ica.illumina.com", text);
        Assert.Contains("x-api-key: !!binary ", text);
        Assert.Contains("output-format: table", text);
        Assert.Contains("colormode: none", text);
        Assert.DoesNotContain("plain-text-key-12345", text);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes("plain-text-key-12345")), text);
    }

    [Fact]
    public void Keys_the_module_does_not_know_survive_a_rewrite()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ProfilePath)!);
        File.WriteAllText(ProfilePath, """
            future-setting: kept
            profiles:
              default:
                server-url: ica.illumina.com
                project-id: 1234-abcd
                nested:
                  list: [1, 2, 3]
            """);

        Stores.At(ProfilePath).Save("default", Stores.Key("k"));

        var text = File.ReadAllText(ProfilePath);
        Assert.Contains("future-setting: kept", text);
        Assert.Contains("project-id: 1234-abcd", text);
        Assert.Contains("list:", text);
    }

    [Fact]
    public void Removing_a_profile_keeps_the_others()
    {
        var store = Stores.At(ProfilePath);
        store.Save("a", Stores.Key("ka"));
        store.Save("b", Stores.Key("kb"));

        Assert.True(store.Remove("a"));
        Assert.False(store.Remove("a"));
        Assert.Equal(new[] { "b" }, store.ReadAll().Select(p => p.Name));
    }

    [Fact]
    public void Removing_everything_deletes_the_profile_file_and_the_key_file()
    {
        var store = Stores.At(ProfilePath);
        store.Save("a", Stores.Key("ka"));
        Assert.True(File.Exists(store.Protection.KeyFilePath));

        store.RemoveAll();

        Assert.False(File.Exists(ProfilePath));
        Assert.False(File.Exists(store.Protection.KeyFilePath));
        Assert.Empty(store.ReadAll());
    }

    [Fact]
    public void A_missing_file_means_no_profiles()
    {
        Assert.Empty(Stores.At(ProfilePath).ReadAll());
        Assert.Null(Stores.At(ProfilePath).Find("default"));
    }

    [Fact]
    public void The_profile_file_the_key_file_and_the_folder_are_for_the_user_alone()
    {
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            return; // The Windows ACL is checked by the Pester suite on Windows runners.
        }

        var store = Stores.At(ProfilePath);
        store.Save("default", Stores.Key("k"));

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ProfilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.Protection.KeyFilePath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(ProfilePath)!));
    }

    [Fact]
    public void A_rewrite_leaves_no_temp_file_behind_and_clears_ones_a_crash_left()
    {
        var store = Stores.At(ProfilePath);
        store.Save("a", Stores.Key("k"));
        var abandoned = Path.Combine(Path.GetDirectoryName(ProfilePath)!, $".{ProfileLocation.FileName}.0123456789abcdef.tmp");
        File.WriteAllText(abandoned, "half a file");

        store.Save("b", Stores.Key("k"));

        var leftovers = Directory.GetFiles(Path.GetDirectoryName(ProfilePath)!, "*.tmp");
        Assert.Empty(leftovers);
    }

    [Fact]
    public void A_writer_that_cannot_get_the_lock_in_time_says_so_and_changes_nothing()
    {
        var store = Stores.At(ProfilePath, lockTimeout: TimeSpan.FromMilliseconds(200));
        store.Save("a", Stores.Key("k"));
        var before = File.ReadAllBytes(ProfilePath);

        using (new FileStream(ProfileLocation.LockFilePath(ProfilePath), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            var error = Assert.Throws<IcaPowerShell.Core.Errors.IcaException>(() => store.Save("b", Stores.Key("k")));
            Assert.Equal("IcaConfigLockTimeout", error.ErrorId);
            Assert.Contains(ProfilePath, error.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(ProfilePath));
    }

    public void Dispose() => folder.Dispose();
}
