using System.Globalization;
using IcaPowerShell.Core.Configuration;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Core.Protection;

// write PATH PROFILE COUNT   : COUNT updates of PROFILE; update i stores server p-PROFILE-i.example.org
// read PATH MILLISECONDS     : reads the file in a loop; exit 3 on the first read that fails
// write-forever PATH PROFILE : updates until killed (the crash test kills it at random moments)
var path = args[1];
var store = new ProfileStore(path, new SecretProtection(ProfileLocation.KeyFilePath(path), ProcessEnvironment.Instance, allowDpapi: false), TimeSpan.FromSeconds(60));
switch (args[0])
{
    case "write":
        var count = int.Parse(args[3], CultureInfo.InvariantCulture);
        for (var i = 1; i <= count; i++)
        {
            Update(args[2], i);
        }

        return 0;
    case "write-forever":
        Console.Out.WriteLine("started");
        Console.Out.Flush();
        for (var i = 1; ; i++)
        {
            Update(args[2], i);
        }

    case "read":
        var until = DateTime.UtcNow.AddMilliseconds(int.Parse(args[2], CultureInfo.InvariantCulture));
        var reads = 0;
        while (DateTime.UtcNow < until)
        {
            try
            {
                store.ReadAll();
                reads++;
            }
            catch (IcaException ex)
            {
                Console.Error.WriteLine($"read {reads} failed: {ex.ErrorId}: {ex.Message}");
                return 3;
            }
        }

        Console.Out.WriteLine(reads.ToString(CultureInfo.InvariantCulture));
        return 0;
    default:
        Console.Error.WriteLine("unknown command");
        return 2;
}

void Update(string profile, int i) =>
    store.Save(profile, new ProfileChanges
    {
        Server = ServerAddress.Parse($"p-{profile}-{i}.example.org"),
        ApiKey = SecretText.ToSecureString($"worker-key-{profile}-{i}"),
        OutputFormat = ProfileSettings.OutputFormats[i % 3],
    });
