using System;

namespace AgentGuard.Analyzers.Loops;

/// <summary>What a piece of code reaches when it runs.</summary>
[Flags]
internal enum Reach
{
    None = 0,

    /// <summary>It sends a request to a model.</summary>
    ModelCall = 1,

    /// <summary>It waits on a person, a queue, a channel, a socket or a timer, or goes through a budget guard.</summary>
    Pacing = 2,
}
