namespace AgentGuard;

/// <summary>Estimates how many tokens a text is, for steps whose provider reports no usage.</summary>
public interface ITokenEstimator
{
    /// <summary>The estimated token count of <paramref name="text"/>.</summary>
    int EstimateTokens(string? text);
}
