using System.Management.Automation;

namespace IcaPowerShell.Commands
{
    /// <summary>
    /// On -Profile that takes pipeline input by value: an object with a Profile property (a context,
    /// a token, a profile) stands for that property, so one whose Profile is empty (its token came
    /// from $env:ICAV2_X_API_KEY) means "no profile given" rather than its type name as a profile.
    /// Text and any other object pass unchanged, so an empty string piped in is refused like a typed one.
    /// </summary>
    internal sealed class PipedProfileAttribute : ArgumentTransformationAttribute
    {
        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            if (inputData is PSObject wrapped && !(wrapped.BaseObject is string) && wrapped.Properties["Profile"] is PSPropertyInfo profile)
            {
                // Empty means "not given"; anything else (a name, or a value PowerShell then turns into one) is the name.
                var value = profile.Value is PSObject inner ? inner.BaseObject : profile.Value;
                return value == null || (value is string text && text.Length == 0) ? null : value;
            }

            return inputData;
        }
    }
}
