using IcaPowerShell.Core.Session;

namespace IcaPowerShell.Tests.Support;

/// <summary>A clock the test moves, so tokens age without anyone waiting.</summary>
public sealed class ManualClock : IClock
{
    private long ticks = new DateTimeOffset(2026, 11, 22, 9, 0, 0, TimeSpan.Zero).UtcTicks;

    public DateTimeOffset UtcNow => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);
}
