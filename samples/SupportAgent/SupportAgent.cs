using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Threading;
using System.Threading.Tasks;
using AgentGuard;

namespace SupportAgent;

/// <summary>The state of an order, as the order system returns it.</summary>
public sealed record Order(string Id, string Customer, decimal Total, string Status);

/// <summary>A refund request the model fills in.</summary>
public sealed class RefundRequest
{
    /// <summary>The order to refund.</summary>
    [Description("The order ID, e.g. A-1001")]
    public string OrderId { get; set; } = "";

    /// <summary>How much to refund.</summary>
    [Description("Amount in USD, at most the order total")]
    public decimal Amount { get; set; }

    /// <summary>Why.</summary>
    public string? Reason { get; set; }
}

/// <summary>
/// A customer-support agent. Its budget is its loop: AgentGuard generates <c>RunAsync</c>, the tools and a typed
/// ledger from these declarations, and the run cannot pass these limits.
/// </summary>
[Budget(
    MaxSteps = 8,
    MaxToolCalls = 12,
    MaxOutputTokensPerStep = 400,
    MaxTotalTokens = 60_000,
    SoftLimitUsd = 0.02,
    HardLimitUsd = 0.05,
    FallbackModelId = "gpt-4o-mini",
    MaxRetriesPerTool = 1)]
public sealed partial class SupportDesk
{
    private readonly OrderSystem orders;
    private readonly Carrier carrier;
    private readonly Payments payments;

    /// <summary>Creates the desk over the shop's systems.</summary>
    public SupportDesk(OrderSystem orders, Carrier carrier, Payments payments)
    {
        this.orders = orders;
        this.carrier = carrier;
        this.payments = payments;
    }

    /// <summary>Looks up an order. A pure read: safe to cache for the run.</summary>
    [AgentTool("Looks up an order by its ID and returns customer, total and status.", Cacheable = true)]
    public Task<Order?> GetOrderAsync([Description("The order ID, e.g. A-1001")] string orderId, CancellationToken cancellationToken)
        => orders.FindAsync(orderId, cancellationToken);

    /// <summary>Asks the carrier where a parcel is. A read, cached for five minutes.</summary>
    [AgentTool("Returns the carrier's tracking status for an order.", Name = "track_parcel", Cacheable = true, CacheTtlSeconds = 300)]
    public string TrackParcel(string orderId) => carrier.Track(orderId);

    /// <summary>Issues a refund. Moves money: never cached.</summary>
    [AgentTool("Refunds part or all of an order to the customer's card.")]
    public async Task<string> IssueRefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        var order = await orders.FindAsync(request.OrderId, cancellationToken);
        if (order is null)
        {
            return $"No order {request.OrderId}.";
        }

        if (request.Amount <= 0 || request.Amount > order.Total)
        {
            return $"Refund must be between 0 and {order.Total}.";
        }

        payments.Refund(order.Id, request.Amount);
        return $"Refunded {request.Amount:0.00} USD on order {order.Id}.";
    }
}
