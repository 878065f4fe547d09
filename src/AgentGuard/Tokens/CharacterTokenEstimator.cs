using System;

namespace AgentGuard;

/// <summary>
/// Estimates tokens from characters: about four characters of English text per token for the BPE tokenizers of
/// current OpenAI, Anthropic and Google models, rounded up so an estimate errs on the side of cost. Plug in an
/// exact tokenizer through <see cref="ITokenEstimator"/> where precision matters.
/// </summary>
public sealed class CharacterTokenEstimator : ITokenEstimator
{
    /// <summary>The shared instance.</summary>
    public static CharacterTokenEstimator Instance { get; } = new();

    /// <summary>Characters per token; 4 by default.</summary>
    public double CharactersPerToken { get; init; } = 4.0;

    /// <inheritdoc/>
    public int EstimateTokens(string? text)
        => string.IsNullOrEmpty(text) ? 0 : (int)Math.Ceiling(text!.Length / CharactersPerToken);
}
