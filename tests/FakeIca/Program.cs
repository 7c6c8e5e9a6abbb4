using System.Globalization;
using FakeIca;

// Runs the fake ICA token service on its own, so the module can be tried end to end without an
// ICA account: dotnet run --project tests/FakeIca -f net10.0 [-- --port 5099]
// The Pester suite starts it too, and reads the lines below to learn its address and secrets.
// --parent PID: stop when that process exits, so a test run that dies leaves no server behind.
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var port = Option("--port") is string p ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
await using var server = await FakeIcaServer.StartAsync(port);
Console.WriteLine($"Fake ICA listening on {server.Url}");
Console.WriteLine($"Its API key (valid only for this fake server): {server.ApiKey}");
Console.WriteLine($"Its Basic user (valid only for this fake server): {server.UserName} {server.Password}");
Console.WriteLine();
Console.WriteLine("In PowerShell, with the module imported:");
Console.WriteLine($"  Set-IcaConfig -Profile fake -ServerUrl {server.Url} -ApiKey (ConvertTo-SecureString '{server.ApiKey}' -AsPlainText -Force)");
Console.WriteLine("  Get-IcaToken -Profile fake");
Console.WriteLine();
Console.WriteLine("Press Ctrl+C to stop.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
// SIGTERM (kill, a CI runner's cleanup, Stop-Process on Unix) stops it too, and cleanly.
using var onTerminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(
    System.Runtime.InteropServices.PosixSignal.SIGTERM, context => { context.Cancel = true; stop.TrySetResult(); });
if (Option("--parent") is string parentId)
{
    var parent = System.Diagnostics.Process.GetProcessById(int.Parse(parentId, CultureInfo.InvariantCulture));
    _ = parent.WaitForExitAsync().ContinueWith(_ => stop.TrySetResult(), TaskScheduler.Default);
}

await stop.Task;
