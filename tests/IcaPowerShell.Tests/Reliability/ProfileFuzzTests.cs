using System.Diagnostics;
using System.Text;
using IcaPowerShell.Core.Errors;
using IcaPowerShell.Core.Profiles;
using IcaPowerShell.Tests.Support;

namespace IcaPowerShell.Tests.Reliability;

/// <summary>
/// 10,000 profile files made from valid ones by a fixed-seed mutator. Each gives a valid profile
/// set or an IcaException (never another exception), within 1 s and 100 MB, and a file that
/// fails to parse is byte-for-byte the same after a write was attempted on it.
/// </summary>
[Collection(HeavyCollection.Name)]
public sealed class ProfileFuzzTests : IDisposable
{
    private const int Inputs = 10_000;
    private readonly TempFolder folder = new();

    [Fact]
    public void Ten_thousand_mutated_files_give_a_profile_or_a_clear_error_and_are_never_damaged()
    {
        var random = new Random(20261122);
        var seeds = Seeds();
        var path = folder.File("fuzz.yaml");
        var store = Stores.At(path, lockTimeout: TimeSpan.FromSeconds(5));
        var parsed = 0;
        var refused = 0;
        var slowest = TimeSpan.Zero;
        long mostAllocated = 0;
        for (var i = 0; i < Inputs; i++)
        {
            var input = Mutate(seeds[random.Next(seeds.Count)], random);
            File.WriteAllBytes(path, input);
            var clock = Stopwatch.StartNew();
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                store.ReadAll();
                parsed++;
            }
            catch (IcaException)
            {
                refused++;
                var attempt = Record.Exception(() => store.Save("fuzz", new ProfileChanges { ColorMode = "dark" }));
                Assert.True(attempt is IcaException, $"input {i}: the write threw {attempt?.GetType().Name ?? "nothing"}");
                Assert.True(input.AsSpan().SequenceEqual(File.ReadAllBytes(path)), $"input {i}: a file that failed to parse was changed");
            }
            catch (Exception ex)
            {
                Assert.Fail($"input {i} ({Convert.ToBase64String(input[..Math.Min(input.Length, 200)])}) threw {ex.GetType().Name}: {ex.Message}");
            }

            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            mostAllocated = Math.Max(mostAllocated, GC.GetAllocatedBytesForCurrentThread() - allocatedBefore);
        }

        Assert.True(slowest < TimeSpan.FromSeconds(1), $"the slowest input took {slowest}");
        Assert.True(mostAllocated < 100L * 1024 * 1024, $"an input allocated {mostAllocated:N0} bytes");
        Assert.True(parsed > 500 && refused > 500, $"the mutator is too tame or too wild: {parsed} parsed, {refused} refused");
    }

    private static List<byte[]> Seeds()
    {
        var store = Stores.At(Path.Combine(Path.GetTempPath(), "unused.yaml"));
        var texts = new[]
        {
            "profiles:\n  default:\n    server-url: ica.illumina.com\n    x-api-key: !!binary AQIAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=\n    output-format: table\n    colormode: none\n",
            "# comment\nprofiles:\n  a:\n    server-url: https://ica.example.org:8443\n    output-format: json\n  b:\n    colormode: dark\n    extra: [1, 2, {c: d}]\nother: value\n",
            "{\"profiles\": {\"x\": {\"server-url\": \"http://127.0.0.1:5000\", \"output-format\": \"yaml\"}}}\n",
            "profiles:\n  p1: {server-url: ica.illumina.com}\n  p2: {colormode: light}\n  p3: {output-format: json}\n",
        };
        _ = store;
        return texts.Select(Encoding.UTF8.GetBytes).ToList();
    }

    private static byte[] Mutate(byte[] seed, Random random)
    {
        var bytes = new List<byte>(seed);
        var mutations = 1 + random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(11))
            {
                case 0 when bytes.Count > 0: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 1 when bytes.Count > 0: bytes.RemoveAt(at); break;
                case 2: bytes.RemoveRange(at, bytes.Count - at); break;
                case 3: bytes.InsertRange(at, Encoding.UTF8.GetBytes(new string('[', 50 + random.Next(500)))); break;
                case 4: bytes.InsertRange(at, Encoding.UTF8.GetBytes("x: " + new string('a', 10_000 + random.Next(200_000)) + "\n")); break;
                case 5: bytes.Insert(at, (byte)(0x80 + random.Next(0x40))); break;
                case 6: bytes.Insert(at, 0); break;
                case 7: bytes.InsertRange(at, Encoding.UTF8.GetBytes("\nprofiles:\n  default:\n    colormode: dark\n")); break;
                case 8: bytes.InsertRange(0, Encoding.UTF8.GetBytes("a: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\n")); break;
                case 9: bytes.InsertRange(at, Encoding.UTF8.GetBytes(new[] { ":", "-", "{", "}", "\"", "'", "!!binary ", "\t", "&x ", "*x", "%YAML 1.1\n", "---\n" }[random.Next(12)])); break;
                default:
                    if (bytes.Count > 0)
                    {
                        var length = Math.Min(bytes.Count - at, 1 + random.Next(40));
                        bytes.InsertRange(at, bytes.GetRange(at, length));
                    }

                    break;
            }
        }

        return bytes.ToArray();
    }

    public void Dispose() => folder.Dispose();
}
