using System.Globalization;

namespace AgentGuard.Testing;

/// <summary>What a suite's recorded steps would cost on another model.</summary>
public sealed class RepricedCost
{
    /// <summary>Creates the result.</summary>
    public RepricedCost(string modelId, int tasks, int steps, decimal totalCostUsd, decimal originalTotalCostUsd)
    {
        ModelId = modelId;
        Tasks = tasks;
        Steps = steps;
        TotalCostUsd = totalCostUsd;
        OriginalTotalCostUsd = originalTotalCostUsd;
    }

    /// <summary>The model priced.</summary>
    public string ModelId { get; }

    /// <summary>The number of tasks.</summary>
    public int Tasks { get; }

    /// <summary>The number of steps priced.</summary>
    public int Steps { get; }

    /// <summary>What the steps would cost on <see cref="ModelId"/>, in US dollars.</summary>
    public decimal TotalCostUsd { get; }

    /// <summary>Mean cost per task on <see cref="ModelId"/>; 0 without tasks.</summary>
    public decimal MeanCostPerTaskUsd => Tasks == 0 ? 0 : TotalCostUsd / Tasks;

    /// <summary>What the same steps cost as recorded (0 when re-priced from cassettes).</summary>
    public decimal OriginalTotalCostUsd { get; }

    /// <inheritdoc/>
    public override string ToString()
        => string.Format(CultureInfo.InvariantCulture, "{0}: {1} tasks, {2} steps, ${3:0.######}", ModelId, Tasks, Steps, TotalCostUsd);
}
