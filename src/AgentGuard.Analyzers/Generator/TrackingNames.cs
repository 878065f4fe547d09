namespace AgentGuard.Analyzers.Generator;

/// <summary>Names of the generator's pipeline steps, for incrementality tests.</summary>
public static class TrackingNames
{
    public const string Agents = nameof(Agents);
    public const string ValidAgents = nameof(ValidAgents);
}
