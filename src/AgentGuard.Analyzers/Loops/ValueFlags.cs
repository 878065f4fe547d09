using System;

namespace AgentGuard.Analyzers.Loops;

/// <summary>Where a value comes from, as far as the loop rules care.</summary>
[Flags]
internal enum ValueFlags
{
    None = 0,

    /// <summary>Derived from a model's output.</summary>
    Model = 1,

    /// <summary>A bound: a counter compared with a limit, a budget, the clock, a timed token, the outside world.</summary>
    Bound = 2,

    /// <summary>Something else the analysis cannot judge (loop-invariant state, data from another API).</summary>
    Other = 4,
}
