using System.ComponentModel;
using AgentGuard;

namespace AgentGuard.Benchmarks;

public sealed record ShippingAddress(string Street, string City, string Country, string? PostalCode);

public sealed record OrderLine(string Sku, int Quantity, decimal UnitPrice);

public sealed record OrderRequest(string CustomerId, ShippingAddress Address, OrderLine[] Lines, bool Express);

public sealed record ParcelItem(string Sku, int Quantity);

public sealed record Parcel(string Id, double WeightKg, List<ParcelItem> Items);

/// <summary>The tools both dispatch paths call: the generated one and AIFunctionFactory's.</summary>
[Budget(MaxSteps = 10, MaxOutputTokensPerStep = 500, HardLimitUsd = 1)]
public partial class BenchmarkAgent
{
    [AgentTool("Converts an amount between currencies.")]
    public decimal Convert([Description("Amount")] decimal amount, string from, string to, int precision = 2)
        => Math.Round(amount * (from == to ? 1m : 1.1m), precision);

    [AgentTool("Prices an order.")]
    public decimal PriceOrder(OrderRequest request)
    {
        var total = 0m;
        foreach (var line in request.Lines)
        {
            total += line.Quantity * line.UnitPrice;
        }

        return request.Express ? total + 15m : total;
    }

    [AgentTool("Plans a shipment of parcels.")]
    public int PlanShipment(List<Parcel> parcels)
    {
        var items = 0;
        foreach (var parcel in parcels)
        {
            foreach (var item in parcel.Items)
            {
                items += item.Quantity;
            }
        }

        return items;
    }
}
