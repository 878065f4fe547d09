using System.Threading.Tasks;
using AgentGuard;

namespace CostPitfalls;

/// <summary>
/// AG0004 — a side-effecting tool marked cacheable. When the model asks for the same refund twice (a second
/// customer complaint, a retried step), the cache returns the first result and the second refund never happens.
/// Caching is for pure reads like <see cref="GetOrderStatusAsync"/>.
/// </summary>
[Budget(MaxSteps = 10, HardLimitUsd = 1, MaxOutputTokensPerStep = 500)]
public partial class OrderSupportAgent(IOrderService orders)
{
    [AgentTool("Gets the status of an order", Cacheable = true, CacheTtlSeconds = 60)]
    public async Task<string> GetOrderStatusAsync(int orderId)
    {
        var order = await orders.GetOrderAsync(orderId);
        return order is null ? "No such order" : order.Status;
    }

    [AgentTool("Refunds an amount on an order", Cacheable = true)] // AG0004: the refund is the point of the call
    public async Task<string> RefundOrderAsync(int orderId, decimal amount)
    {
        var refunded = await orders.RefundAsync(orderId, amount);
        return refunded ? $"Refunded {amount} on order {orderId}" : "The refund was declined";
    }
}

public sealed record OrderSummary(int Id, string Status, decimal Total);

public interface IOrderService
{
    Task<OrderSummary?> GetOrderAsync(int orderId);

    Task<bool> RefundAsync(int orderId, decimal amount);
}
