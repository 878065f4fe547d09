namespace AgentGuard.Analyzers.Loops;

/// <summary>What <see cref="LoopBoundAnalysis"/> found out about a loop, a goto loop or a recursive body.</summary>
internal sealed class RegionFacts
{
    public RegionFacts(RegionKind kind, Reach reach, bool isBounded, bool hasOtherExit, bool isUnboundedRetry)
    {
        Kind = kind;
        Reach = reach;
        IsBounded = isBounded;
        HasOtherExit = hasOtherExit;
        IsUnboundedRetry = isUnboundedRetry;
    }

    public RegionKind Kind { get; }

    /// <summary>What the region reaches when it runs.</summary>
    public Reach Reach { get; }

    public bool ReachesModelCall => (Reach & Reach.ModelCall) != 0;

    /// <summary>
    /// A counter, a budget, a clock, a timed cancellation token, a finite collection or the outside world bounds it.
    /// </summary>
    public bool IsBounded { get; }

    /// <summary>
    /// Some exit depends on something other than the model's output (data the analysis cannot judge), so the region
    /// is given the benefit of the doubt.
    /// </summary>
    public bool HasOtherExit { get; }

    /// <summary>It retries a model call after a swallowed failure with no attempt limit (AG0006).</summary>
    public bool IsUnboundedRetry { get; }

    /// <summary>AG0001: it reaches a model call and only the model's output (or nothing) ends it.</summary>
    public bool IsUnboundedAgentLoop
        => ReachesModelCall && Kind != RegionKind.ForEach && !IsBounded && !HasOtherExit && !IsUnboundedRetry;
}
