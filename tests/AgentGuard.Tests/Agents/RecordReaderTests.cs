using System.Text.Json;
using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Agents;

public sealed record ParcelItem(string Sku, int Quantity);

public sealed record Parcel(string Id, List<ParcelItem> Items, double WeightKg = 1);

/// <summary>An agent whose tools take records in lists and the types of <see cref="OrderAgent"/>.</summary>
[Budget(MaxSteps = 3, MaxOutputTokensPerStep = 100)]
public sealed partial class PackingAgent
{
    [AgentTool("Packs parcels.")]
    public string Pack(List<Parcel> parcels)
        => string.Join(";", parcels.Select(p => $"{p.Id}@{p.WeightKg}:" + string.Join(",", p.Items.Select(i => $"{i.Sku}x{i.Quantity}"))));

    [AgentTool("Ships an order.")]
    public string Ship(Shipment shipment)
        => $"{shipment.OrderId}->{shipment.To.City},{shipment.To.Country}|{shipment.Rank?.ToString() ?? "none"}|{string.Join("+", shipment.Notes)}|{shipment.Speed}";
}

/// <summary>The generated readers of records: names matched in one pass, other casings, unknown and repeated names, bad members.</summary>
public sealed class RecordReaderTests
{
    private const string Oslo = "\"to\":{\"city\":\"Oslo\",\"country\":\"NO\"}";

    private static async Task<string> InvokeAsync(string tool, string name, string json)
    {
        var function = (AIFunction)new PackingAgent().AgentTools.Single(t => t.Name == tool);
        using var document = JsonDocument.Parse(json);
        var result = await function.InvokeAsync(new AIFunctionArguments { [name] = document.RootElement.Clone() });
        return result?.ToString() ?? "";
    }

    [Theory]
    // Another casing of a member's name is read when the exact one is absent.
    [InlineData("{\"ORDERID\":\"A-1\",\"To\":{\"CITY\":\"Oslo\",\"Country\":\"NO\"},\"RANK\":3}", "A-1->Oslo,NO|3||Normal")]
    // The exact spelling wins over another casing, before or after it.
    [InlineData("{\"OrderId\":\"X\",\"orderId\":\"A-1\"," + Oslo + "}", "A-1->Oslo,NO|none||Normal")]
    [InlineData("{\"orderId\":\"A-1\",\"OrderId\":\"X\"," + Oslo + "}", "A-1->Oslo,NO|none||Normal")]
    // Of two other casings, the first wins.
    [InlineData("{\"OrderId\":\"A-1\",\"ORDERID\":\"X\"," + Oslo + "}", "A-1->Oslo,NO|none||Normal")]
    // Of a repeated exact name, the last wins, as JsonElement.TryGetProperty does.
    [InlineData("{\"orderId\":\"X\",\"orderId\":\"A-1\"," + Oslo + ",\"rank\":1,\"rank\":2}", "A-1->Oslo,NO|2||Normal")]
    // A null exact name is a missing member: another casing does not stand in for it.
    [InlineData("{\"orderId\":\"A-1\"," + Oslo + ",\"rank\":null,\"Rank\":4}", "A-1->Oslo,NO|none||Normal")]
    // Unknown properties, of any shape and anywhere, are skipped.
    [InlineData("{\"extra\":{\"deep\":[1,{\"x\":null}]},\"orderId\":\"A-1\",\"to\":{\"zip\":\"0150\",\"city\":\"Oslo\",\"country\":\"NO\"},\"notes\":[\"gift\"],\"more\":7}", "A-1->Oslo,NO|none|gift|Normal")]
    // Settable and init-only members keep their initial values when left out, and are read in any order.
    [InlineData("{\"speed\":\"urgent\",\"notes\":[\"a\",\"b\"]," + Oslo + ",\"orderId\":\"A-1\"}", "A-1->Oslo,NO|none|a+b|Urgent")]
    public async Task Ship_RecordArgument_IsReadByName(string shipment, string expected)
    {
        Assert.Equal(expected, await InvokeAsync("Ship", "shipment", shipment));
    }

    [Theory]
    [InlineData("{\"orderId\":null," + Oslo + "}")]
    [InlineData("{\"orderId\":\"A-1\",\"to\":{\"city\":[\"Oslo\"],\"country\":\"NO\"}}")]
    [InlineData("{\"orderId\":\"A-1\"," + Oslo + ",\"rank\":\"two\"}")]
    [InlineData("{\"orderId\":\"A-1\"," + Oslo + ",\"rank\":2.5}")]
    [InlineData("{\"orderId\":\"A-1\"," + Oslo + ",\"speed\":3}")]
    [InlineData("{\"orderId\":\"A-1\"," + Oslo + ",\"notes\":[\"a\",1.5,{}]}")]
    [InlineData("{\"orderId\":\"A-1\",\"orderId\":{}," + Oslo + "}")]
    public async Task Ship_MemberOfTheWrongKind_ClearErrorAndToolNotCalled(string shipment)
    {
        var error = await InvokeAsync("Ship", "shipment", shipment);

        Assert.StartsWith("Error: Argument 'shipment' of tool 'Ship' must be JSON matching the schema of Shipment, but was {", error, StringComparison.Ordinal);
        Assert.EndsWith("Call it again with a valid value.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pack_NestedListsOfRecords_AreRead()
    {
        var parcels = """
            [{"id":"P1","weightKg":2,"items":[{"sku":"A","quantity":2},{"sku":"B","quantity":1}]},
             {"items":[],"id":"P2"},
             {"ID":"P3","Items":[{"Sku":"C","Quantity":5.0}],"weightKg":12}]
            """;

        Assert.Equal("P1@2:Ax2,Bx1;P2@1:;P3@12:Cx5", await InvokeAsync("Pack", "parcels", parcels));
    }

    [Theory]
    [InlineData("""[{"id":"P1","items":[{"sku":"A","quantity":"two"}]}]""")]
    [InlineData("""[{"id":"P1","items":[{"sku":"A"}]}]""")]
    [InlineData("""[{"id":"P1","items":{"sku":"A","quantity":1}}]""")]
    [InlineData("""[{"id":"P1","items":[null]}]""")]
    [InlineData("""[{"id":"P1"}]""")]
    [InlineData("""{"id":"P1","items":[]}""")]
    public async Task Pack_MalformedNestedRecord_ClearErrorAndToolNotCalled(string parcels)
    {
        var error = await InvokeAsync("Pack", "parcels", parcels);

        Assert.StartsWith("Error: Argument 'parcels' of tool 'Pack' must be ", error, StringComparison.Ordinal);
        Assert.Contains("but was ", error, StringComparison.Ordinal);
    }
}
