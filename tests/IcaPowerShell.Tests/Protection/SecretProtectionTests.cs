using System.Text;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Protection;

public sealed class SecretProtectionTests : IDisposable
{
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("api-key-0123456789abcdef");
    private readonly TempFolder folder = new();

    private SecretProtection WithKeyFile(string name = "keys.key", TestEnvironment? environment = null) =>
        new(folder.File(name), environment ?? new TestEnvironment(), allowDpapi: false);

    [Fact]
    public void A_secret_round_trips_and_the_envelope_is_versioned()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);

        Assert.Equal(1, envelope[0]);
        Assert.Equal(2, envelope[1]);
        Assert.Equal(Secret, protection.Unprotect(envelope, "test"));
        Assert.Equal("AES-256-CBC + HMAC-SHA256", SecretEnvelope.Describe(envelope));
    }

    [Fact]
    public void Two_encryptions_of_one_secret_differ()
    {
        var protection = WithKeyFile();
        Assert.NotEqual(protection.Protect(Secret), protection.Protect(Secret));
    }

    [Fact]
    public void The_key_file_is_created_once_and_reused()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);
        var key = File.ReadAllText(protection.KeyFilePath);
        protection.Protect(Secret);

        Assert.Equal(key, File.ReadAllText(protection.KeyFilePath));
        Assert.Equal(32, Convert.FromBase64String(key).Length);
        Assert.Equal(Secret, WithKeyFile().Unprotect(envelope, "test"));
    }

    // Many rounds, each a new key file: the window between "no key file yet" and the rename is
    // short, and one round alone passed on a quiet machine while the full suite lost it.
    [Fact]
    public async Task Writers_racing_to_create_the_key_file_end_up_with_one_key()
    {
        for (var round = 0; round < 40; round++)
        {
            var name = $"keys-{round}.key";
            using var start = new ManualResetEventSlim();
            var racers = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
            {
                start.Wait();
                return WithKeyFile(name).Protect(Secret);
            })).ToList();
            start.Set();
            var envelopes = await Task.WhenAll(racers);

            Assert.All(envelopes, envelope => Assert.Equal(Secret, WithKeyFile(name).Unprotect(envelope, "test")));
        }

        Assert.Equal(40, Directory.GetFiles(folder.Path).Length);
    }

    [Fact]
    public void Every_single_bit_flip_of_an_envelope_is_detected()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);
        for (var bit = 0; bit < envelope.Length * 8; bit++)
        {
            var tampered = (byte[])envelope.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            var error = Assert.Throws<IcaException>(() => protection.Unprotect(tampered, "test"));
            Assert.Equal(IcaErrorKind.SecurityError, error.Kind);
        }
    }

    [Fact]
    public void A_flip_in_the_ciphertext_or_MAC_is_reported_as_tampering()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);
        envelope[^1] ^= 1;
        var error = Assert.Throws<IcaException>(() => protection.Unprotect(envelope, "profile 'x'"));
        Assert.Equal("IcaSecretTampered", error.ErrorId);
        Assert.Contains("altered or damaged", error.Message);
    }

    [Fact]
    public void A_truncated_envelope_is_reported_as_tampering()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);
        var error = Assert.Throws<IcaException>(() => protection.Unprotect(envelope[..^10], "test"));
        Assert.Equal("IcaSecretTampered", error.ErrorId);
    }

    [Fact]
    public void Another_key_is_reported_as_a_wrong_key_not_as_tampering()
    {
        var envelope = WithKeyFile("one.key").Protect(Secret);
        var error = Assert.Throws<IcaException>(() => WithKeyFile("two.key").Unprotect(envelope, "profile 'x'"));
        Assert.Equal("IcaKeyFileMissing", error.ErrorId);

        WithKeyFile("two.key").Protect(Secret);
        var wrong = Assert.Throws<IcaException>(() => WithKeyFile("two.key").Unprotect(envelope, "profile 'x'"));
        Assert.Equal("IcaSecretWrongKey", wrong.ErrorId);
        Assert.Contains("different key", wrong.Message);
    }

    [Fact]
    public void A_key_in_the_environment_replaces_the_key_file_for_CI()
    {
        var environment = new TestEnvironment { [EnvironmentVariables.EncryptionKey] = SecretProtection.NewKeyText() };
        var envelope = WithKeyFile(environment: environment).Protect(Secret);

        Assert.False(File.Exists(folder.File("keys.key")));
        var elsewhere = new SecretProtection(folder.File("other", "keys.key"), environment, allowDpapi: false);
        Assert.Equal(Secret, elsewhere.Unprotect(envelope, "test"));
    }

    [Theory]
    [InlineData("not base64 at all")]
    [InlineData("c2hvcnQ=")]
    public void A_malformed_environment_key_names_the_variable(string value)
    {
        var environment = new TestEnvironment { [EnvironmentVariables.EncryptionKey] = value };
        var error = Assert.Throws<IcaException>(() => WithKeyFile(environment: environment).Protect(Secret));
        Assert.Equal("IcaEnvironmentKeyInvalid", error.ErrorId);
        Assert.Contains(EnvironmentVariables.EncryptionKey, error.Message);
    }

    [Fact]
    public void A_damaged_key_file_is_reported_by_name()
    {
        var protection = WithKeyFile();
        var envelope = protection.Protect(Secret);
        File.WriteAllText(protection.KeyFilePath, "garbage");
        var error = Assert.Throws<IcaException>(() => protection.Unprotect(envelope, "test"));
        Assert.Equal("IcaKeyFileInvalid", error.ErrorId);
        Assert.Contains(protection.KeyFilePath, error.Message);
    }

    [Fact]
    public void A_DPAPI_envelope_off_Windows_says_to_store_the_key_again()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        var error = Assert.Throws<IcaException>(() => WithKeyFile().Unprotect(new byte[] { 1, 1, 9, 9, 9 }, "profile 'x'"));
        Assert.Equal("IcaSecretUnsupported", error.ErrorId);
        Assert.Contains("Set-IcaConfig -ApiKey", error.Message);
    }

    [Fact]
    public void An_envelope_from_a_future_version_is_not_guessed_at()
    {
        var error = Assert.Throws<IcaException>(() => WithKeyFile().Unprotect(new byte[] { 9, 2, 0, 0 }, "test"));
        Assert.Equal("IcaSecretUnsupported", error.ErrorId);
    }

    [Fact]
    public void Windows_uses_DPAPI_when_it_works()
    {
        if (!OperatingSystem.IsWindows())
        {
            return;
        }

        var protection = new SecretProtection(folder.File("keys.key"), new TestEnvironment());
        var envelope = protection.Protect(Secret);
        Assert.Equal(1, envelope[1]);
        Assert.Equal(Secret, protection.Unprotect(envelope, "test"));
        Assert.False(File.Exists(folder.File("keys.key")));
    }

    [Fact]
    public void A_store_reports_a_profile_encrypted_elsewhere_with_the_profile_and_file()
    {
        var path = folder.File("p.yaml");
        var store = Stores.At(path);
        var profile = store.Save("default", Stores.Key("k"));
        File.Delete(store.Protection.KeyFilePath);

        var error = Assert.Throws<IcaException>(() => Stores.At(path).ReadApiKey(Stores.At(path).Find("default")!));
        Assert.Equal("IcaKeyFileMissing", error.ErrorId);
        Assert.Contains(ProfileLocation.KeyFilePath(path), error.Message);
        Assert.True(profile.HasApiKey);
    }

    public void Dispose() => folder.Dispose();
}
