namespace IcaPowerShell.Tests.Support;

/// <summary>Which runtime runs the tests: .NET, the .NET Framework on Windows, or Mono elsewhere.</summary>
public static class Runtime
{
    public static bool IsNetFramework => typeof(object).Assembly.GetName().Name == "mscorlib";

    public static bool IsMono => Type.GetType("Mono.Runtime") != null;

    public static bool IsWindows => System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows);
}

/// <summary>
/// A test that creates profile, key or lock files. Skipped on Mono, with the reason: the engine's
/// Unix files are created with open(O_CREAT|O_EXCL|O_NOFOLLOW, 0600) and wrapped in a FileStream,
/// which .NET allows and Mono's FileStream refuses (it takes only its own handles). On Windows the
/// .NET Framework runs the Windows code path instead (ci.yml's Windows PowerShell leg).
/// </summary>
public sealed class WritesFilesFactAttribute : FactAttribute
{
    public const string MonoReason = "Mono's FileStream cannot wrap a file descriptor, so the engine's Unix file creation (O_CREAT|O_EXCL|O_NOFOLLOW, 0600) runs on .NET only; the .NET Framework runs the Windows path, on Windows only";

    public WritesFilesFactAttribute()
    {
        if (Runtime.IsMono)
        {
            Skip = MonoReason;
        }
    }
}

/// <inheritdoc cref="WritesFilesFactAttribute"/>
public sealed class WritesFilesTheoryAttribute : TheoryAttribute
{
    public WritesFilesTheoryAttribute()
    {
        if (Runtime.IsMono)
        {
            Skip = WritesFilesFactAttribute.MonoReason;
        }
    }
}

/// <summary>A test of a Windows-only facility (DPAPI, ACLs), skipped elsewhere with the reason given.</summary>
public sealed class WindowsFactAttribute : FactAttribute
{
    public WindowsFactAttribute(string reason)
    {
        if (!Runtime.IsWindows)
        {
            Skip = reason;
        }
    }
}
