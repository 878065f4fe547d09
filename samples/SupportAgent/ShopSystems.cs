using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace SupportAgent;

/// <summary>The shop's order database, in memory for the sample. Counts its queries so the demo can show the cache at work.</summary>
public sealed class OrderSystem
{
    private readonly Dictionary<string, Order> orders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["A-1001"] = new("A-1001", "Ada", 129.90m, "shipped"),
        ["A-1002"] = new("A-1002", "Grace", 42.00m, "delivered"),
    };

    private int queries;

    /// <summary>How many times the database was queried.</summary>
    public int Queries => queries;

    /// <summary>Finds an order.</summary>
    public Task<Order?> FindAsync(string orderId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref queries);
        return Task.FromResult(orders.TryGetValue(orderId, out var order) ? order : null);
    }
}

/// <summary>The carrier's tracking API. Its first answer times out, as real carriers' sometimes do.</summary>
public sealed class Carrier
{
    private int calls;

    /// <summary>Where the parcel of an order is.</summary>
    public string Track(string orderId)
    {
        if (Interlocked.Increment(ref calls) == 1)
        {
            throw new TimeoutException("The carrier did not answer in time.");
        }

        return orderId.Equals("A-1001", StringComparison.OrdinalIgnoreCase) ? "In transit, arriving Thursday" : "Delivered";
    }
}

/// <summary>The payment provider.</summary>
public sealed class Payments
{
    private readonly List<string> refunds = new();

    /// <summary>Refunds issued.</summary>
    public IReadOnlyList<string> Refunds => refunds;

    /// <summary>Refunds part of an order.</summary>
    public void Refund(string orderId, decimal amount) => refunds.Add($"{amount:0.00} USD on {orderId}");
}
