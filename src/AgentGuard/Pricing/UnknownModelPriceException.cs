using System;

namespace AgentGuard;

/// <summary>
/// A cost limit was set for a model the price table has no price for: spend on it could not be measured, so the
/// limit could not be enforced. Add the price with <see cref="PriceTable.Set"/>.
/// </summary>
public sealed class UnknownModelPriceException : InvalidOperationException
{
    /// <summary>Creates the exception for <paramref name="modelId"/>.</summary>
    public UnknownModelPriceException(string? modelId)
        : base($"No price is known for model '{modelId ?? "(none)"}', so a USD budget cannot be enforced. Add it with PriceTable.Set(\"{modelId}\", new ModelPrice {{ ... }}) or remove the USD limits.")
    {
        ModelId = modelId;
    }

    /// <summary>The model without a price.</summary>
    public string? ModelId { get; }
}
