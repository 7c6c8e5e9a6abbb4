using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// On -Profile that takes pipeline input by value: an object with a Profile property (a context,
    /// a token, a profile) stands for that property, so one whose Profile is empty (its token came
    /// from $env:ICAV2_X_API_KEY) means "no profile given" rather than its type name as a profile.
    /// Text and any other object pass unchanged.
    /// </summary>
    internal sealed class PipedProfileAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject wrapped && !(wrapped.BaseObject is string) && wrapped.Properties["Profile"] is PSPropertyInfo profile)
            {
                return profile.Value as string;
            }

            return inputData;
        }
    }
}
