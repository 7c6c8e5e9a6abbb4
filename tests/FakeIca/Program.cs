using System.Globalization;
using FakeIca;

// Runs the fake ICA token service on its own, so the module can be tried end to end without an
// ICA account: dotnet run --project tests/FakeIca -f net10.0 [-- --port 5099]
var port = args.Length == 2 && args[0] == "--port" ? int.Parse(args[1], CultureInfo.InvariantCulture) : 0;
await using var server = await FakeIcaServer.StartAsync(port);
Console.WriteLine($"Fake ICA listening on {server.Url}");
Console.WriteLine($"Its API key (valid only for this fake server): {server.ApiKey}");
Console.WriteLine();
Console.WriteLine("In PowerShell, with the module imported:");
Console.WriteLine($"  Set-IcaConfig -Profile fake -ServerUrl {server.Url} -ApiKey (ConvertTo-SecureString '{server.ApiKey}' -AsPlainText -Force)");
Console.WriteLine("  Get-IcaToken -Profile fake");
Console.WriteLine();
Console.WriteLine("Press Ctrl+C to stop.");
var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.TrySetResult(); };
await stop.Task;
