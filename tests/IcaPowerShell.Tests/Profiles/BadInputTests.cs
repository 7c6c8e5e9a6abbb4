using System.Runtime.InteropServices;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Profiles;

/// <summary>
/// Each bad input gives an error that names the file (and the line where YAML knows it) and
/// what to do, and neither a read nor a write changes the file.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempFolder folder = new();

    private string ProfilePath => folder.File(ProfileLocation.FileName);

    public static TheoryData<string, string, string, int?> BrokenFiles => new()
    {
        { "not YAML", "profiles: [unclosed\n  default: {", "not valid YAML", null },
        { "a list at the top", "- one\n- two\n", "must be a YAML mapping", 1 },
        { "profiles is a list", "profiles:\n  - default\n", "'profiles' must be a mapping", 2 },
        { "a profile is a scalar", "profiles:\n  default: yes\n", "Profile 'default' must be a mapping", 2 },
        { "a value is a list", "profiles:\n  default:\n    server-url: [a, b]\n", "Expected a single value", 3 },
        { "unknown output format", "profiles:\n  default:\n    output-format: xml\n", "'xml' is not a valid value for output-format", 3 },
        { "unknown color mode", "profiles:\n  default:\n    colormode: purple\n", "'purple' is not a valid value for colormode", 3 },
        { "key not binary", "profiles:\n  default:\n    x-api-key: plain-key\n", "must be a !!binary value", 3 },
        { "key not base64", "profiles:\n  default:\n    x-api-key: !!binary '***'\n", "not valid base64", 3 },
        { "server with plain http", "profiles:\n  default:\n    server-url: http://ica.example.org\n", "plain http", 3 },
        { "bad profile name", "profiles:\n  ../etc:\n    colormode: none\n", "path characters", 2 },
        { "empty", "", "The file is empty", null },
        { "only a comment", "# nothing here\n", "The file is empty", null },
        { "two documents", "a: 1\n---\nb: 2\n", "more than one YAML document", null },
        { "duplicate keys", "profiles:\n  default:\n    colormode: none\n  default:\n    colormode: dark\n", "not valid YAML", null },
        { "deeply nested", "a: " + new string('[', 100) + new string(']', 100) + "\n", "nested more than", 1 },
        { "alias bomb", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", "uses YAML aliases", 2 },
        { "NUL byte", "profiles:\n  default:\n    colormode: no\0ne\n", "not valid YAML", null },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public void A_broken_file_is_reported_with_its_path_and_left_untouched(string why, string content, string expected, int? line)
    {
        File.WriteAllText(ProfilePath, content);
        var before = File.ReadAllBytes(ProfilePath);
        var store = Stores.At(ProfilePath);

        var onRead = Assert.Throws<IcaException>(() => store.ReadAll());
        var onWrite = Assert.Throws<IcaException>(() => store.Save("default", Stores.Key("k")));

        Assert.True(onRead.Message.Contains(expected, StringComparison.Ordinal), $"{why}: {onRead.Message}");
        Assert.Contains(ProfilePath, onRead.Message);
        Assert.Contains("left as it is", onRead.Message);
        Assert.Equal("IcaConfigFileInvalid", onRead.ErrorId);
        Assert.Equal(IcaErrorKind.InvalidData, onRead.Kind);
        Assert.Equal(onRead.Message, onWrite.Message);
        if (line != null)
        {
            Assert.Contains($"line {line}", onRead.Message);
        }

        Assert.Equal(before, File.ReadAllBytes(ProfilePath));
    }

    [Fact]
    public void Text_that_is_not_UTF8_is_refused()
    {
        File.WriteAllBytes(ProfilePath, new byte[] { 0x70, 0x3A, 0x20, 0xC3, 0x28, 0x0A });
        var error = Assert.Throws<IcaException>(() => Stores.At(ProfilePath).ReadAll());
        Assert.Contains("not UTF-8", error.Message);
    }

    [Fact]
    public void A_huge_file_is_refused_before_it_is_read()
    {
        using (var stream = File.Create(ProfilePath))
        {
            stream.SetLength(ProfileStore.MaxFileBytes + 1);
        }

        var error = Assert.Throws<IcaException>(() => Stores.At(ProfilePath).Save("default", Stores.Key("k")));
        Assert.Equal("IcaConfigFileTooLarge", error.ErrorId);
        Assert.Contains(ProfilePath, error.Message);
        Assert.Equal(ProfileStore.MaxFileBytes + 1, new FileInfo(ProfilePath).Length);
    }

    [Fact]
    public void A_folder_where_the_file_should_be_is_reported()
    {
        Directory.CreateDirectory(ProfilePath);
        var error = Assert.Throws<IcaException>(() => Stores.At(ProfilePath).Save("default", Stores.Key("k")));
        Assert.Equal("IcaConfigFileUnreadable", error.ErrorId);
        Assert.Contains("is a folder", error.Message);
        Assert.True(Directory.Exists(ProfilePath));
    }

    [Fact]
    public void A_read_only_file_is_not_replaced()
    {
        var store = Stores.At(ProfilePath);
        store.Save("default", Stores.Key("k"));
        var before = File.ReadAllBytes(ProfilePath);
        File.SetAttributes(ProfilePath, FileAttributes.ReadOnly);

        var error = Assert.Throws<IcaException>(() => store.Save("default", new ProfileChanges { ColorMode = "dark" }));

        Assert.Equal("IcaConfigFileReadOnly", error.ErrorId);
        Assert.Contains("read-only", error.Message);
        Assert.Equal(before, File.ReadAllBytes(ProfilePath));
    }

    [Fact]
    public void An_unreadable_file_is_reported_with_what_to_do()
    {
        File.WriteAllText(ProfilePath, "profiles: {}\n");
        var store = Stores.At(ProfilePath);
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || Environment.UserName == "root")
        {
            // root reads any file, so the denial cannot be staged here: check the message the
            // store builds from the operating system's refusal instead.
            var mapped = store.Unreadable(new UnauthorizedAccessException("Access to the path is denied."));
            Assert.Equal("IcaConfigFileUnreadable", mapped.ErrorId);
            Assert.Contains(ProfilePath, mapped.Message);
            Assert.Contains("Check its permissions", mapped.Message);
            return;
        }

        File.SetUnixFileMode(ProfilePath, UnixFileMode.None);
        var error = Assert.Throws<IcaException>(() => store.ReadAll());
        Assert.Equal("IcaConfigFileUnreadable", error.ErrorId);
        Assert.Contains("Check its permissions", error.Message);
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_reported()
    {
        var blocker = folder.File("not-a-folder");
        File.WriteAllText(blocker, "a file where a folder should be");
        var path = Path.Combine(blocker, ProfileLocation.FileName);

        var error = Assert.Throws<IcaException>(() => Stores.At(path).Save("default", Stores.Key("k")));

        Assert.Equal("IcaConfigFolderUnavailable", error.ErrorId);
        Assert.Contains(blocker, error.Message);
        Assert.Contains("-Path", error.Message);
    }

    [Fact]
    public void No_home_folder_names_the_parameter_and_the_variable_that_replace_it()
    {
        var error = Assert.Throws<IcaException>(() => ProfileLocation.Resolve(null, new TestEnvironment(), homeFolder: null));
        Assert.Equal("IcaNoHomeFolder", error.ErrorId);
        Assert.Contains("-Path", error.Message);
        Assert.Contains(EnvironmentVariables.ConfigPath, error.Message);
    }

    [Fact]
    public void The_path_comes_from_the_parameter_then_the_environment_then_the_home_folder()
    {
        var environment = new TestEnvironment { [EnvironmentVariables.ConfigPath] = folder.File("from-env.yaml") };
        Assert.Equal(folder.File("param.yaml"), ProfileLocation.Resolve(folder.File("param.yaml"), environment, "/home/x"));
        Assert.Equal(folder.File("from-env.yaml"), ProfileLocation.Resolve(null, environment, "/home/x"));
        Assert.Equal(Path.Combine("/home/x", ".icav2", ProfileLocation.FileName), ProfileLocation.Resolve(null, new TestEnvironment(), "/home/x"));
    }

    [Fact]
    public void Icav2s_own_config_file_is_never_used()
    {
        var error = Assert.Throws<IcaException>(() => ProfileLocation.Resolve(folder.File(".icav2", "config.yaml"), new TestEnvironment(), null));
        Assert.Equal("IcaConfigPathIsIcav2File", error.ErrorId);
    }

    [Theory]
    [InlineData("../x")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("c:x")]
    [InlineData("bell\a")]
    [InlineData("new\nline")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData(".hidden")]
    [InlineData("-dash")]
    [InlineData("spa ce")]
    public void Profile_names_with_path_or_control_characters_are_refused(string name)
    {
        var error = Assert.Throws<IcaException>(() => Stores.At(ProfilePath).Save(name, Stores.Key("k")));
        Assert.Equal("IcaInvalidProfileName", error.ErrorId);
        Assert.False(File.Exists(ProfilePath));
    }

    [Theory]
    [InlineData("default")]
    [InlineData("prod-eu_2")]
    [InlineData("tenant.name")]
    public void Ordinary_profile_names_are_accepted(string name) => Assert.Equal(name, ProfileName.Validate(name));

    public void Dispose() => folder.Dispose();
}
