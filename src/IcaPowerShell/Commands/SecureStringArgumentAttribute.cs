using System.Management.Automation;
using System.Security;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// On a SecureString parameter (-ApiKey): text is refused with a message that says what to
    /// pass. PowerShell's own conversion error would quote the text, putting the key into $Error
    /// and transcripts, and would not say how to make a SecureString.
    /// </summary>
    internal sealed class SecureStringArgumentAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
            if (value is string)
            {
                throw new ArgumentTransformationMetadataException(
                    "It takes a SecureString, not text (the text is not shown here). Pass (Read-Host -AsSecureString 'API key'), or from a secret variable (ConvertTo-SecureString $env:ICA_KEY -AsPlainText -Force).");
            }

            return value is SecureString ? value : inputData;
        }
    }
}
