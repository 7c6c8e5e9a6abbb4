namespace IcaPowerShell.Tests.Support;

/// <summary>A folder of its own for each test, removed afterwards; never the user's real ~/.icav2.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "IcaPowerShell.Tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    /// <summary>Every byte of every file below the folder, for the secret scans.</summary>
    public IEnumerable<(string Path, byte[] Content)> AllFiles() =>
        Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories).Select(f => (f, System.IO.File.ReadAllBytes(f)));

    /// <summary>
    /// .ci/run sets ICAPOWERSHELL_TESTS_KEEP_FILES=1 so that, after the whole suite, it can search
    /// every file the tests made for the test keys and tokens; it removes them itself.
    /// </summary>
    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("ICAPOWERSHELL_TESTS_KEEP_FILES") == "1")
        {
            return;
        }

        try
        {
            foreach (var file in Directory.EnumerateFiles(Path, "*", SearchOption.AllDirectories))
            {
                System.IO.File.SetAttributes(file, FileAttributes.Normal);
            }

            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
