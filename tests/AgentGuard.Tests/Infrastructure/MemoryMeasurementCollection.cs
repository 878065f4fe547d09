namespace AgentGuard.Tests.Infrastructure;

/// <summary>
/// Test classes that measure the process's memory (<c>GC.GetTotalMemory</c>): they run alone, after the parallel
/// tests, so no other test's allocations count against their bound.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurements";
}
