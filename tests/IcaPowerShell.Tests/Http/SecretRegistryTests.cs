using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Http;
using Xunit;

namespace IcaPowerShell.Tests.Http;

/// <summary>
/// A secret the session never sent but a server knows (the key of a kept token's profile) is loaded
/// only when a text is about to be shown, once, and is cut from then on.
/// </summary>
public sealed class SecretRegistryTests
{
    private const string Key = "kept-key-0123456789abcdef";

    [Fact]
    public void A_secret_added_later_is_loaded_when_server_text_is_cleaned_once_and_cut_from_then_on()
    {
        var registry = new SecretRegistry();
        var loads = 0;
        registry.AddLater(() =>
        {
            loads++;
            return Key;
        });
        registry.Clean("a verbose line of our own");
        Assert.Equal(0, loads);

        Assert.DoesNotContain(Key, registry.CleanServerText("failed for key " + Key));
        Assert.DoesNotContain(Key, registry.CleanAnswer("{\"key\":\"" + Key + "\"}"));
        Assert.DoesNotContain("0123456789", registry.Clean("echo " + Key.ToUpperInvariant()));
        Assert.Equal(1, loads);
    }

    [Fact]
    public void A_secret_that_cannot_be_loaded_now_is_skipped_and_the_others_are_still_cut()
    {
        var registry = new SecretRegistry();
        registry.AddLater(() => throw new IcaException(ErrorIds.ConfigFileUnreadable, IcaErrorKind.InvalidData, "the profile file went", null));
        registry.AddLater(() => Key);

        Assert.Equal(new string?[] { Key }, registry.LoadLater());
        Assert.DoesNotContain(Key, registry.Clean(Key));
        Assert.Empty(registry.LoadLater());
    }
}
