using System.ComponentModel;

namespace AgentGuard.Tests.Agents;

public enum Priority
{
    Low,
    Normal,
    Urgent,
}

public sealed record OrderInfo(string Id, decimal Total);

public sealed class LineItem
{
    public string Sku { get; set; } = "";

    public int Quantity { get; set; }
}

public sealed record Address(string City, string Country);

public sealed record Shipment(string OrderId, Address To, int? Rank)
{
    public string[] Notes { get; init; } = [];

    public Priority Speed { get; set; } = Priority.Normal;
}

public sealed record Query(string Text, int Limit = 5, string? Sort = null);

/// <summary>An agent with every kind of tool the generator supports.</summary>
[Budget(MaxSteps = 4, MaxToolCalls = 6, MaxOutputTokensPerStep = 200, MaxRetriesPerTool = 1, HardLimitUsd = 1.0, SoftLimitUsd = 0.5, FallbackModelId = "gpt-4o-mini")]
public sealed partial class OrderAgent
{
    public int LookupRuns { get; private set; }

    public int RefundRuns { get; private set; }

    public int FlakyRuns { get; private set; }

    public List<string> Seen { get; } = new();

    // The run counter is how the tests see whether the cache answered; it is the only state the tool touches.
#pragma warning disable AG0004
    [AgentTool("Looks up an order.", Cacheable = true)]
#pragma warning restore AG0004
    public OrderInfo GetOrder([Description("The order ID")] string orderId, int? version = null)
    {
        LookupRuns++;
        return new OrderInfo(orderId, 12.5m + (version ?? 0));
    }

    [AgentTool("Refunds an order.", Name = "refund")]
    public string Refund(string orderId, decimal amount)
    {
        RefundRuns++;
        return $"refunded {amount} on {orderId}";
    }

    [AgentTool("Fails every time.")]
    public Task<string> FlakyAsync(CancellationToken cancellationToken)
    {
        FlakyRuns++;
        throw new TimeoutException("upstream timed out");
    }

    [AgentTool("Adds two numbers.")]
    public static int Add(int a, int b) => a + b;

    [AgentTool("Records a typed request.")]
    public string Classify(Priority priority, DateTimeOffset when, Guid id, TimeSpan window, bool urgent, double score, long big, DateTime? due = null)
    {
        var text = $"{priority}|{when:O}|{id}|{window}|{urgent}|{score}|{big}|{due?.ToString("O") ?? "none"}";
        Seen.Add(text);
        return text;
    }

    [AgentTool("Counts items.")]
    public int CountItems(LineItem[] items, List<string> tags) => items.Sum(i => i.Quantity) + tags.Count;

    [AgentTool("Ships an order.")]
    public string Ship(Shipment shipment)
        => $"{shipment.OrderId}->{shipment.To.City},{shipment.To.Country}|{shipment.Rank?.ToString() ?? "none"}|{string.Join("+", shipment.Notes)}|{shipment.Speed}";

    [AgentTool("Searches.")]
    public string Search(Query query) => $"{query.Text}|{query.Limit}|{query.Sort ?? "none"}";

    [AgentTool("Waits until cancelled.")]
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }
}

/// <summary>An agent with a token budget and nothing else.</summary>
[Budget(MaxSteps = 10, MaxTotalTokens = 5_000, MaxOutputTokensPerStep = 100)]
public partial class TokenBoundAgent
{
    [AgentTool]
    public string Echo(string text) => text;
}

/// <summary>An agent with a dollar limit and no output cap per step.</summary>
#pragma warning disable AG1007
[Budget(MaxSteps = 3, HardLimitUsd = 0.5)]
#pragma warning restore AG1007
public partial class UncappedAgent
{
    [AgentTool]
    public string Echo(string text) => text;
}
