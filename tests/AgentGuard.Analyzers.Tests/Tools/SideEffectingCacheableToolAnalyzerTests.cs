using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Tools.SideEffectingCacheableToolAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Tools;

public sealed class SideEffectingCacheableToolAnalyzerTests
{
    private const string OrderServices = /* lang=c#-test */ """

        public sealed record Order(int Id, string Status, decimal Total);

        public interface IOrderService
        {
            System.Threading.Tasks.Task<Order?> GetOrderAsync(int id);
            System.Threading.Tasks.Task<bool> RefundAsync(int id, decimal amount);
            System.Threading.Tasks.Task CancelAsync(int id);
            System.Collections.Generic.IReadOnlyList<Order> CreatedBefore(System.DateTime date);
        }
        """;

    private static DiagnosticResult Expected(int location, string tool, string effect)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0004_SideEffectingCacheableTool).WithLocation(location).WithArguments(tool, effect);

    // ---------------------------------------------------------------- reports

    [Fact]
    public async Task RefundTool_CallsInjectedWriteMethod_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class SupportAgent
            {
                private readonly IOrderService _orders;

                public SupportAgent(IOrderService orders) => _orders = orders;

                [AgentTool("Refunds an order", {|#0:Cacheable = true|})]
                public async Task<string> RefundOrderAsync(int orderId, decimal amount)
                {
                    var ok = await _orders.RefundAsync(orderId, amount);
                    return ok ? "Refunded" : "Refund failed";
                }
            }
            """ + OrderServices;

        await Verify.VerifyAsync(source, Expected(0, "RefundOrderAsync", "calls IOrderService.RefundAsync"));
    }

    [Fact]
    public async Task PrimaryConstructorService_CancelCall_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class SupportAgent(IOrderService orders)
            {
                [AgentTool("Cancels an order", {|#0:Cacheable = true|}, CacheTtlSeconds = 60)]
                public async Task<string> CancelOrderAsync(int orderId)
                {
                    await orders.CancelAsync(orderId);
                    return $"Order {orderId} cancelled";
                }
            }
            """ + OrderServices;

        await Verify.VerifyAsync(source, Expected(0, "CancelOrderAsync", "calls IOrderService.CancelAsync"));
    }

    [Fact]
    public async Task ReportTool_WritesFile_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.IO;
            using AgentGuard;

            public partial class ReportingAgent
            {
                [AgentTool("Saves the weekly report", {|#0:Cacheable = true|})]
                public string SaveReport(string markdown)
                {
                    var path = Path.Combine(Path.GetTempPath(), "weekly.md");
                    File.WriteAllText(path, markdown);
                    return path;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "SaveReport", "writes a file (File.WriteAllText)"));
    }

    [Fact]
    public async Task WebhookTool_PostsJson_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class SlackAgent(HttpClient http)
            {
                [AgentTool("Posts a message to the team channel", {|#0:Cacheable = true|})]
                public async Task<int> PostToChannelAsync(string text)
                {
                    using var response = await http.PostAsync("https://hooks.example.com/team", new StringContent(text));
                    return (int)response.StatusCode;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "PostToChannelAsync", "sends an HTTP POST (HttpClient.PostAsync)"));
    }

    [Fact]
    public async Task DeleteRequest_ThroughSendAsync_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class CrmAgent
            {
                private readonly HttpClient _http = new();

                [AgentTool("Deletes a contact", {|#0:Cacheable = true|})]
                public async Task<bool> DeleteContactAsync(string id)
                {
                    var request = new HttpRequestMessage(HttpMethod.Delete, "https://crm.example.com/contacts/" + id);
                    using var response = await _http.SendAsync(request);
                    return response.IsSuccessStatusCode;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "DeleteContactAsync", "sends an HTTP DELETE (HttpClient.SendAsync)"));
    }

    [Fact]
    public async Task EmailTool_SendsMail_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Mail;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class NotificationAgent(SmtpClient smtp)
            {
                [AgentTool("Emails the customer", {|#0:Cacheable = true|})]
                public async Task<string> EmailCustomerAsync(string to, string body)
                {
                    await smtp.SendMailAsync(new MailMessage("agent@example.com", to, "Your order", body));
                    return "sent";
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "EmailCustomerAsync", "sends mail (SmtpClient.SendMailAsync)"));
    }

    [Fact]
    public async Task ShellTool_StartsProcess_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Diagnostics;
            using AgentGuard;

            public partial class DevOpsAgent
            {
                [AgentTool("Restarts the build agent", {|#0:Cacheable = true|})]
                public int RestartBuildAgent()
                {
                    using var process = Process.Start("systemctl", "restart build-agent");
                    process.WaitForExit();
                    return process.ExitCode;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "RestartBuildAgent", "starts or stops a process (Process.Start)"));
    }

    [Fact]
    public async Task DatabaseTool_ExecutesNonQuery_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Data.Common;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class InventoryAgent(DbConnection connection)
            {
                [AgentTool("Reserves stock", {|#0:Cacheable = true|})]
                public async Task<int> ReserveStockAsync(int productId, int quantity)
                {
                    using var command = connection.CreateCommand();
                    command.CommandText = "UPDATE Stock SET Reserved = Reserved + @q WHERE ProductId = @p";
                    return await command.ExecuteNonQueryAsync();
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "ReserveStockAsync", "writes to a database (DbCommand.ExecuteNonQueryAsync)"));
    }

    [Fact]
    public async Task CartTool_AssignsField_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;

            public partial class ShoppingAgent
            {
                private string? _selectedStore;

                [AgentTool("Selects the store for the rest of the conversation", {|#0:Cacheable = true|})]
                public string SelectStore(string storeId)
                {
                    _selectedStore = storeId;
                    return "Store selected: " + storeId;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "SelectStore", "assigns state it did not create (_selectedStore)"));
    }

    [Fact]
    public async Task OrderTool_MutatesEntityFromField_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using AgentGuard;

            public sealed class OrderRecord { public string Status { get; set; } = "open"; }

            public partial class FulfilmentAgent
            {
                private readonly Dictionary<int, OrderRecord> _orders = new();

                [AgentTool("Marks an order as shipped", {|#0:Cacheable = true|})]
                public string MarkShipped(int orderId)
                {
                    var order = _orders[orderId];
                    order.Status = "shipped";
                    return order.Status;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "MarkShipped", "assigns state it did not create (order.Status)"));
    }

    [Fact]
    public async Task CartTool_AddsToFieldList_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using AgentGuard;

            public partial class ShoppingAgent
            {
                private readonly List<string> _cart = new();

                [AgentTool("Adds an item to the cart", {|#0:Cacheable = true|})]
                public int AddToCart(string sku)
                {
                    _cart.Add(sku);
                    return _cart.Count;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "AddToCart", "changes state it did not create (_cart.Add)"));
    }

    [Fact]
    public async Task StatsTool_IncrementsStaticCounter_Reports()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;

            public static class Telemetry { public static int LookupCount; }

            public partial class WeatherAgent
            {
                [AgentTool("Gets the forecast", {|#0:Cacheable = true|})]
                public string GetForecast(string city)
                {
                    Telemetry.LookupCount++;
                    return "Sunny in " + city;
                }
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "GetForecast", "assigns static state (Telemetry.LookupCount)"));
    }

    [Fact]
    public async Task AuditTool_HelperWritesFile_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.IO;
            using AgentGuard;

            public partial class ComplianceAgent
            {
                [AgentTool("Looks up a customer's KYC status", {|#0:Cacheable = true|})]
                public string GetKycStatus(string customerId)
                {
                    var status = customerId.StartsWith("C", StringComparison.Ordinal) ? "verified" : "pending";
                    RecordLookup(customerId, status);
                    return status;
                }

                private static void RecordLookup(string customerId, string status) => AppendAudit(customerId + ": " + status);

                private static void AppendAudit(string line) => File.AppendAllText("audit.log", line + Environment.NewLine);
            }
            """;

        await Verify.VerifyAsync(source, Expected(0, "GetKycStatus", "calls 'RecordLookup', which calls 'AppendAudit', which writes a file (File.AppendAllText)"));
    }

    [Fact]
    public async Task TaskReturningTool_ReturnsNothing_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class ReminderAgent
            {
                [AgentTool("Schedules a reminder", {|#0:Cacheable = true|})]
                public Task ScheduleReminderAsync(string text, int minutes) => Task.Delay(minutes);

                [AgentTool("Pings", {|#1:Cacheable = true|})]
                public void Ping() { }
            }
            """;

        await Verify.VerifyAsync(
            source,
            Expected(0, "ScheduleReminderAsync", "returns nothing (Task), so all it does is its effect"),
            Expected(1, "Ping", "returns nothing (void), so all it does is its effect"));
    }

    [Fact]
    public async Task EditorConfigSideEffectMethods_AddsName_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public interface ISearchIndex { Task<int> ReindexAsync(string collection); }

            public partial class SearchAgent(ISearchIndex index)
            {
                [AgentTool("Refreshes the product index", {|#0:Cacheable = true|})]
                public Task<int> RefreshIndexAsync(string collection) => index.ReindexAsync(collection);
            }
            """;

        await Verify.VerifyAsync(source, editorConfig: null);
        await Verify.VerifyAsync(
            source,
            "AG0004.side_effect_methods = Reindex, Rebuild",
            Expected(0, "RefreshIndexAsync", "calls ISearchIndex.ReindexAsync"));
    }

    [Fact]
    public async Task EditorConfigSideEffectMethods_ReplacesList_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public interface IQuoteService { Task<decimal> CreateQuoteAsync(string sku, int quantity); }

            public partial class SalesAgent(IQuoteService quotes)
            {
                [AgentTool("Prices a quote", Cacheable = true)]
                public Task<decimal> QuoteAsync(string sku, int quantity) => quotes.CreateQuoteAsync(sku, quantity);
            }
            """;

        await Verify.VerifyAsync(source, "AG0004.side_effect_methods = !Save, Send, Refund");
    }

    // ---------------------------------------------------------------- does not report

    [Fact]
    public async Task PureComputation_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using AgentGuard;

            public partial class MathAgent
            {
                [AgentTool("Computes compound interest", Cacheable = true, CacheTtlSeconds = 3600)]
                public double CompoundInterest(double principal, double rate, int years)
                    => principal * Math.Pow(1 + rate, years);
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReadOnlyToolWithLogging_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Threading.Tasks;
            using AgentGuard;
            using Microsoft.Extensions.Logging;

            public partial class SupportAgent(IOrderService orders, ILogger<SupportAgent> logger)
            {
                [AgentTool("Gets an order's status", Cacheable = true)]
                public async Task<string> GetOrderStatusAsync(int orderId)
                {
                    logger.LogInformation("Looking up order {OrderId}", orderId);
                    Console.WriteLine($"lookup {orderId}");
                    var order = await orders.GetOrderAsync(orderId);
                    return order?.Status ?? "unknown";
                }
            }
            """ + OrderServices;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ToolMutatesListItCreated_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Collections.Generic;
            using System.Text;
            using AgentGuard;

            public sealed class Suggestion { public string Title { get; set; } = ""; public int Score { get; set; } }

            public partial class TravelAgent
            {
                [AgentTool("Suggests destinations", Cacheable = true)]
                public string SuggestDestinations(string season)
                {
                    var results = new List<Suggestion>();
                    var summary = new StringBuilder();
                    foreach (var city in new[] { "Lisbon", "Kyoto", "Cusco" })
                    {
                        var suggestion = new Suggestion { Title = city };
                        suggestion.Score = city.Length;
                        results.Add(suggestion);
                        summary.Append(city).Append(", ");
                    }

                    results.Sort((a, b) => b.Score.CompareTo(a.Score));
                    results[0].Title += " (" + season + ")";
                    return summary.ToString();
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task GetRequests_DoNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Net.Http.Json;
            using System.Threading.Tasks;
            using AgentGuard;

            public sealed record Forecast(string Summary);

            public partial class WeatherAgent(HttpClient http)
            {
                [AgentTool("Gets the forecast", Cacheable = true, CacheTtlSeconds = 600)]
                public async Task<string> GetForecastAsync(string city)
                {
                    var forecast = await http.GetFromJsonAsync<Forecast>("https://api.example.com/forecast/" + city);
                    using var request = new HttpRequestMessage(HttpMethod.Get, "https://api.example.com/alerts/" + city);
                    using var response = await http.SendAsync(request);
                    return forecast?.Summary + " " + await http.GetStringAsync("https://api.example.com/uv/" + city);
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReadMethodsOnInjectedService_DoNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System;
            using System.Linq;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class SupportAgent(IOrderService orders)
            {
                [AgentTool("Counts old orders", Cacheable = true)]
                public int CountOldOrders(int days) => orders.CreatedBefore(DateTime.UtcNow.AddDays(-days)).Count();

                [AgentTool("Gets an order", Cacheable = true)]
                public async Task<string> DescribeOrderAsync(int id) => (await orders.GetOrderAsync(id))?.ToString() ?? "none";
            }
            """ + OrderServices;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task NotCacheable_SideEffects_DoNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class SupportAgent(IOrderService orders)
            {
                [AgentTool("Refunds an order")]
                public Task<bool> RefundOrderAsync(int orderId, decimal amount) => orders.RefundAsync(orderId, amount);

                [AgentTool("Cancels an order", Cacheable = false)]
                public async Task<string> CancelOrderAsync(int orderId)
                {
                    await orders.CancelAsync(orderId);
                    return "cancelled";
                }
            }
            """ + OrderServices;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ToolNormalizesItsOwnArguments_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using AgentGuard;

            public sealed class SearchQuery { public string Text { get; set; } = ""; public int Limit { get; set; } }

            public partial class CatalogAgent
            {
                [AgentTool("Searches the catalog", Cacheable = true)]
                public string Search(SearchQuery query)
                {
                    query.Text = query.Text.Trim().ToLowerInvariant();
                    if (query.Limit <= 0) query.Limit = 10;
                    return "results for " + query.Text;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ReadsFile_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.IO;
            using AgentGuard;

            public partial class DocsAgent
            {
                private readonly string _root = "/srv/docs";

                [AgentTool("Reads a help article", Cacheable = true)]
                public string ReadArticle(string slug)
                {
                    var path = Path.Combine(_root, slug + ".md");
                    return File.Exists(path) ? File.ReadAllText(path) : "Not found";
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task PureHelperInSameClass_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using AgentGuard;

            public partial class PricingAgent
            {
                private readonly Dictionary<string, decimal> _prices = new() { ["basic"] = 9m, ["pro"] = 29m };

                [AgentTool("Prices a plan", Cacheable = true)]
                public decimal PricePlan(string plan, int seats) => ApplyVolumeDiscount(_prices[plan] * seats, seats);

                private static decimal ApplyVolumeDiscount(decimal total, int seats)
                {
                    var discount = seats > 50 ? 0.2m : seats > 10 ? 0.1m : 0m;
                    total -= total * discount;
                    return total;
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task LazyInitializedClient_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Net.Http;
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class ExchangeRateAgent
            {
                private HttpClient? _http;

                [AgentTool("Gets an exchange rate", Cacheable = true, CacheTtlSeconds = 300)]
                public async Task<string> GetRateAsync(string from, string to)
                {
                    _http ??= new HttpClient();
                    return await _http.GetStringAsync($"https://rates.example.com/{from}/{to}");
                }
            }
            """;

        await Verify.VerifyAsync(source);
    }

    [Fact]
    public async Task ValueTaskOfResult_PureTool_DoesNotReport()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class TimeAgent
            {
                [AgentTool("Converts a time zone", Cacheable = true)]
                public ValueTask<string> ConvertAsync(string time, string zone) => new(time + " " + zone);
            }
            """;

        await Verify.VerifyAsync(source);
    }
}
