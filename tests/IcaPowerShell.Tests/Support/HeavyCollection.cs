namespace IcaPowerShell.Tests.Support;

/// <summary>
/// Tests that measure time or spawn many processes run alone, after the parallel ones, so that a
/// 2-core machine busy with other tests does not distort what they measure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HeavyCollection
{
    public const string Name = "Heavy: runs alone";
}
