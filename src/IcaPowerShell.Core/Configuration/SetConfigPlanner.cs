using System.Collections.Generic;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;

namespace IcaPowerShell.Core.Configuration
{
    /// <summary>What Set-IcaConfig must do before it can save.</summary>
    public enum SetConfigStep
    {
        /// <summary>The changes are complete: save them.</summary>
        Save,

        /// <summary>Nothing was bound at an interactive prompt: ask every setting, as icav2 config set does.</summary>
        PromptAll,

        /// <summary>The profile has no key and none was given: ask for it.</summary>
        PromptApiKey,

        /// <summary>The profile has no key, none was given, nobody can be asked, and $env:ICAV2_X_API_KEY holds one: store that.</summary>
        UseEnvironmentKey,
    }

    /// <summary>One question of the interactive Set-IcaConfig, worded as icav2 words it.</summary>
    public sealed class PromptField
    {
        public PromptField(string key, string label, bool isSecret)
        {
            Key = key;
            Label = label;
            IsSecret = isSecret;
        }

        /// <summary>The profile key it sets (server-url, x-api-key, output-format, colormode).</summary>
        public string Key { get; }

        public string Label { get; }

        public bool IsSecret { get; }
    }

    /// <summary>
    /// The decisions behind Set-IcaConfig, kept out of the cmdlet so they are tested without a
    /// PowerShell host: when to prompt, what to ask, how answers become changes, and what to say
    /// when a key is needed and no one can be asked.
    /// </summary>
    public static class SetConfigPlanner
    {
        /// <param name="whyNot">Why nobody can answer, for the error when a key is needed (when <paramref name="interactive"/> is false).</param>
        public static SetConfigStep Decide(IcaProfile? existing, ProfileChanges changes, bool interactive, IEnvironment environment, string? whyNot = null)
        {
            if (changes.IsEmpty && interactive)
            {
                return SetConfigStep.PromptAll;
            }

            if (changes.ApiKey != null || (existing != null && existing.HasApiKey))
            {
                return SetConfigStep.Save;
            }

            if (environment.Get(EnvironmentVariables.ApiKey) != null)
            {
                return SetConfigStep.UseEnvironmentKey;
            }

            if (interactive)
            {
                return SetConfigStep.PromptApiKey;
            }

            throw ApiKeyRequired(existing?.Name, whyNot ?? "this session is non-interactive");
        }

        /// <summary>
        /// The error for a key that is needed when no one can be asked: <paramref name="why"/> says
        /// why not (a non-interactive session, or a host that refused to prompt).
        /// </summary>
        public static IcaException ApiKeyRequired(string? profileName, string why, System.Exception? inner = null) => new IcaException(
            ErrorIds.ApiKeyRequired,
            IcaErrorKind.InvalidArgument,
            $"{(profileName == null ? "A new profile needs an API key" : $"Profile '{profileName}' has no API key")}, and {why}, so Set-IcaConfig cannot ask for one. Pass -ApiKey (a SecureString, for example from a secret pipeline variable: -ApiKey (ConvertTo-SecureString $env:ICA_KEY -AsPlainText -Force)), or set $env:{EnvironmentVariables.ApiKey}.",
            "ApiKey",
            inner);

        public static IReadOnlyList<PromptField> Prompts(SetConfigStep step, IcaProfile? existing)
        {
            var keyLabel = existing != null && existing.HasApiKey ? "API key (press enter to keep the current one) " : "API key ";
            var apiKey = new PromptField(ProfileSettings.ApiKeyKey, keyLabel, isSecret: true);
            if (step == SetConfigStep.PromptApiKey)
            {
                return new[] { apiKey };
            }

            var server = existing?.Server.Display ?? ServerAddress.DefaultHost;
            var format = existing?.OutputFormat ?? ProfileSettings.DefaultOutputFormat;
            var color = existing?.ColorMode ?? ProfileSettings.DefaultColorMode;
            return new[]
            {
                new PromptField(ProfileSettings.ServerUrlKey, $"server-url [{server}]", isSecret: false),
                apiKey,
                new PromptField(ProfileSettings.OutputFormatKey, $"output-format (allowed values {string.Join(",", ProfileSettings.OutputFormats)} defaults to {format}) ", isSecret: false),
                new PromptField(ProfileSettings.ColorModeKey, $"colormode (allowed values {string.Join(",", ProfileSettings.ColorModes)} defaults to {color}) ", isSecret: false),
            };
        }

        /// <summary>Applies a typed answer; an empty one keeps the current or default value.</summary>
        public static void ApplyAnswer(ProfileChanges changes, PromptField field, string? answer)
        {
            var text = answer?.Trim();
            if (string.IsNullOrEmpty(text))
            {
                return;
            }

            switch (field.Key)
            {
                case ProfileSettings.ServerUrlKey:
                    changes.Server = ServerAddress.Parse(text, field.Key);
                    break;
                case ProfileSettings.OutputFormatKey:
                    changes.OutputFormat = ProfileSettings.ValidateOutputFormat(text, field.Key);
                    break;
                case ProfileSettings.ColorModeKey:
                    changes.ColorMode = ProfileSettings.ValidateColorMode(text, field.Key);
                    break;
            }
        }

        /// <summary>Applies the masked key answer; an empty one keeps the stored key, or fails when there is none.</summary>
        public static void ApplySecretAnswer(ProfileChanges changes, IcaProfile? existing, System.Security.SecureString? answer)
        {
            if (!SecretText.IsBlank(answer))
            {
                changes.ApiKey = answer;
                return;
            }

            if (existing == null || !existing.HasApiKey)
            {
                throw new IcaException(ErrorIds.EmptyApiKey, IcaErrorKind.InvalidArgument, "No API key was entered, and the profile has none. Create a key in the Illumina portal (your name > API keys) and run Set-IcaConfig again.", "ApiKey");
            }
        }

        /// <summary>Refuses an empty -ApiKey: storing one would only fail later, far from the mistake.</summary>
        public static void RequireNonEmptyKey(System.Security.SecureString? apiKey, string parameterName = "ApiKey")
        {
            if (apiKey != null && SecretText.IsBlank(apiKey))
            {
                throw new IcaException(ErrorIds.EmptyApiKey, IcaErrorKind.InvalidArgument, $"-{parameterName} is empty. Pass the API key from the Illumina portal as a SecureString.", parameterName);
            }

            if (apiKey != null && SecretText.HasControlCharacters(apiKey))
            {
                throw new IcaException(ErrorIds.InvalidApiKey, IcaErrorKind.InvalidArgument, $"-{parameterName} contains a line break or another control character; an API key has none (a copy and paste may have added it). Pass the key alone.", parameterName);
            }
        }
    }
}
