using System;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;
using IcaPowerShell.Core.Session;
using IcaPowerShell.Core.Tokens;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// Creates or changes a profile, as icav2 config set does. Only the parameters bound change;
    /// with none bound at an interactive prompt it asks for each setting.
    /// </summary>
    [Cmdlet(VerbsCommon.Set, "IcaConfig", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(IcaConfig))]
    public sealed class SetIcaConfigCommand : IcaProfileCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(ProfileNameCompleter))]
        public string? Profile { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? ServerUrl { get; set; }

        [Parameter]
        [ValidateNotNull]
        [SecureStringArgument]
        public SecureString? ApiKey { get; set; }

        [Parameter]
        [ValidateSet("table", "yaml", "json")]
        public string? OutputFormat { get; set; }

        [Parameter]
        [ValidateSet("none", "dark", "light")]
        public string? ColorMode { get; set; }

        /// <summary>
        /// The project later calls with this profile use for {projectId}, when neither Set-IcaContext
        /// nor $env:ICAV2_PROJECT_ID sets one. Empty is refused (an unset variable must not erase it):
        /// -ClearProjectId removes it. Not bound from piped objects: a piped profile without a project
        /// would otherwise have to mean "remove" or be refused.
        /// </summary>
        [Parameter]
        [AllowNull]
        [AllowEmptyString]
        public string? ProjectId { get; set; }

        /// <summary>Remove the profile's stored project.</summary>
        [Parameter]
        public SwitchParameter ClearProjectId { get; set; }

        /// <summary>Mint a token with the new settings first, and save nothing if ICA refuses the key.</summary>
        [Parameter]
        public SwitchParameter Validate { get; set; }

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            Run(() =>
            {
                var name = ProfileName.Validate(CurrentProfileName(Profile));
                var store = Session.OpenStore(ProfilePath);
                var changes = new ProfileChanges
                {
                    Server = ServerUrl == null ? null : ServerAddress.Parse(ServerUrl),
                    OutputFormat = OutputFormat == null ? null : ProfileSettings.ValidateOutputFormat(OutputFormat, nameof(OutputFormat)),
                    ColorMode = ColorMode == null ? null : ProfileSettings.ValidateColorMode(ColorMode, nameof(ColorMode)),
                };
                SetConfigPlanner.RequireNonEmptyKey(ApiKey);
                changes.ApiKey = ApiKey;
                changes.ProjectId = ProjectChange();
                changes.ClearProjectId = ClearProjectId;

                var existing = store.Find(name);
                var whyNot = WhyNonInteractive();
                var step = SetConfigPlanner.Decide(existing, changes, whyNot == null, ProcessEnvironment.Instance, whyNot);
                if (step == SetConfigStep.UseEnvironmentKey)
                {
                    WriteVerbose($"Storing the API key from $env:{EnvironmentVariables.ApiKey}.");
                    changes.ApiKey = SecretText.ToSecureString(ProcessEnvironment.Instance.Get(EnvironmentVariables.ApiKey)!.Trim());
                    SetConfigPlanner.RequireNonEmptyKey(changes.ApiKey, EnvironmentVariables.ApiKey);
                }
                else if (step != SetConfigStep.Save)
                {
                    Prompt(step, existing, changes);
                }

                if (!ShouldProcessWithoutHanging($"profile '{name}' in {store.Path}", existing == null ? "Create" : "Update", ConfirmImpact.Medium, "Pass -Confirm:$false"))
                {
                    return;
                }

                // Only once the user agreed: -WhatIf -Validate sends nothing to ICA.
                if (Validate)
                {
                    ValidateKey(existing, changes);
                }

                var saved = store.Save(name, changes);
                Session.Forget(store.Path, name);
                FlushVerbose();
                WriteVerbose($"Saved profile '{name}' to '{store.Path}'.");
                if (PassThru)
                {
                    WriteObject(new IcaConfig(saved, store.Path));
                }
            });
        }

        /// <summary>The checked -ProjectId when it was given; a blank one (an unset variable) is refused, not taken as "remove".</summary>
        private string? ProjectChange()
        {
            if (!MyInvocation.BoundParameters.ContainsKey(nameof(ProjectId)))
            {
                return null;
            }

            if (ClearProjectId)
            {
                throw new Core.Errors.IcaException(Core.Errors.ErrorIds.ParameterConflict, Core.Errors.IcaErrorKind.InvalidArgument, "-ProjectId stores a project and -ClearProjectId removes it: pass one of them.", nameof(ClearProjectId));
            }

            if (string.IsNullOrWhiteSpace(ProjectId))
            {
                throw new Core.Errors.IcaException(Core.Errors.ErrorIds.InvalidProjectId, Core.Errors.IcaErrorKind.InvalidArgument, "-ProjectId is empty (an unset variable?), so nothing was changed. Pass a project's id; to remove the profile's project, use -ClearProjectId.", nameof(ProjectId));
            }

            return ProjectIdText.Validate(ProjectId, "-ProjectId");
        }

        /// <summary>
        /// Asks each field as icav2 config set does. A wrong answer is shown and asked again,
        /// keeping every answer already given; Ctrl+C (or the end of input) stops at once.
        /// </summary>
        private void Prompt(SetConfigStep step, IcaProfile? existing, ProfileChanges changes)
        {
            var controlC = ControlCAsInput.Take(Host.Name);
            try
            {
                PromptFields(step, existing, changes);
            }
            finally
            {
                controlC.Dispose();
            }
        }

        private void PromptFields(SetConfigStep step, IcaProfile? existing, ProfileChanges changes)
        {
            const int MaxAttempts = 5;
            foreach (var field in SetConfigPlanner.Prompts(step, existing))
            {
                for (var attempt = 1; ; attempt++)
                {
                    object? answer;
                    try
                    {
                        Host.UI.Write(field.Label + ": ");
                        answer = field.IsSecret ? Host.UI.ReadLineAsSecureString() : Host.UI.ReadLine();
                    }
                    catch (Exception ex) when (ex is PSInvalidOperationException || ex is HostException || ex is NotImplementedException || ex is NotSupportedException)
                    {
                        // Whether a prompt is possible is the host's answer: a hosted runspace, or
                        // -NonInteractive, refuses here. Say what to pass instead of the host's words.
                        throw SetConfigPlanner.ApiKeyRequired(existing?.Name, $"the PowerShell host '{Host.Name}' cannot prompt", ex);
                    }

                    if (Stopping || answer == null)
                    {
                        // Ctrl+C ends the read with what was typed so far (or nothing): never take
                        // that as an answer and go on to the next question.
                        throw new PipelineStoppedException();
                    }

                    try
                    {
                        if (field.IsSecret)
                        {
                            SetConfigPlanner.ApplySecretAnswer(changes, existing, (SecureString)answer);
                        }
                        else
                        {
                            SetConfigPlanner.ApplyAnswer(changes, field, (string)answer);
                        }

                        break;
                    }
                    catch (Core.Errors.IcaException ex) when (attempt < MaxAttempts)
                    {
                        Host.UI.WriteErrorLine(ex.Message);
                    }
                }
            }
        }

        private void ValidateKey(IcaProfile? existing, ProfileChanges changes)
        {
            var server = changes.Server ?? existing?.Server ?? ServerAddress.Default;
            var store = Session.OpenStore(ProfilePath);
            var key = changes.ApiKey ?? (existing != null && existing.HasApiKey ? store.ReadApiKey(existing) : null);
            if (key == null)
            {
                return;
            }

            var token = Session.GetToken(
                new TokenRequest { Credential = new ApiKeyCredential(key), ServerUrl = server.Display, Force = true },
                CancelOnStop);
            WriteVerbose($"ICA accepted the API key (a token for tenant '{token.Tenant}' was minted).");
        }
    }
}
