using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using IcaPowerShell.Benchmarks;

// dotnet run -c Release --project bench/IcaPowerShell.Benchmarks -- --filter '*'     BenchmarkDotNet suites
// dotnet run -c Release --project bench/IcaPowerShell.Benchmarks -- --cold-start 20  the cold-start harness
if (args.Length == 2 && args[0] == "--cold-start")
{
    return await ColdStart.RunAsync(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture));
}

// In-process: this self-contained .NET 8 executable is the runtime under test (PowerShell 7.4's),
// and no other .NET needs to be installed.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(15))
    .WithArtifactsPath(Path.Combine(ColdStart.RepoRoot(), "bench", "results"))
    .WithOptions(ConfigOptions.DisableLogFile);
BenchmarkSwitcher.FromAssembly(typeof(TokenBenchmarks).Assembly).Run(args, config);
return 0;
