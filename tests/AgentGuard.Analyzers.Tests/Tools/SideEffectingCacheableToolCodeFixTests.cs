using AgentGuard.CodeFixes.Tools;
using Microsoft.CodeAnalysis.Testing;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpCodeFixVerifier<
    AgentGuard.Analyzers.Tools.SideEffectingCacheableToolAnalyzer,
    AgentGuard.CodeFixes.Tools.SideEffectingCacheableToolCodeFixProvider>;

namespace AgentGuard.Analyzers.Tests.Tools;

public sealed class SideEffectingCacheableToolCodeFixTests
{
    private static DiagnosticResult Expected(int location, string tool, string effect)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0004_SideEffectingCacheableTool).WithLocation(location).WithArguments(tool, effect);

    [Fact]
    public async Task CacheableWithTtl_RemovesBoth_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.IO;
            using AgentGuard;

            public partial class ReportingAgent
            {
                /// <summary>Writes the report.</summary>
                [AgentTool("Saves the weekly report", {|#0:Cacheable = true|}, CacheTtlSeconds = 300)] // saved once a week
                public string SaveReport(string markdown)
                {
                    File.WriteAllText("weekly.md", markdown);
                    return "weekly.md";
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.IO;
            using AgentGuard;

            public partial class ReportingAgent
            {
                /// <summary>Writes the report.</summary>
                [AgentTool("Saves the weekly report")] // saved once a week
                public string SaveReport(string markdown)
                {
                    File.WriteAllText("weekly.md", markdown);
                    return "weekly.md";
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "SaveReport", "writes a file (File.WriteAllText)")], fixedSource, equivalenceKey: SideEffectingCacheableToolCodeFixProvider.Key_RemoveCacheable);
    }

    [Fact]
    public async Task OnlyCacheable_RemovesArgumentList_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class ReminderAgent
            {
                [AgentTool({|#0:Cacheable = true|})]
                public Task ScheduleReminderAsync(string text) => Task.CompletedTask;
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public partial class ReminderAgent
            {
                [AgentTool]
                public Task ScheduleReminderAsync(string text) => Task.CompletedTask;
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "ScheduleReminderAsync", "returns nothing (Task), so all it does is its effect")], fixedSource, equivalenceKey: SideEffectingCacheableToolCodeFixProvider.Key_RemoveCacheable);
    }

    [Fact]
    public async Task NamedToolWithCacheableFirst_KeepsName_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using AgentGuard;

            public partial class ShoppingAgent
            {
                private readonly List<string> _cart = new();

                [AgentTool({|#0:Cacheable = true|}, Name = "add_to_cart")]
                public int AddToCart(string sku)
                {
                    _cart.Add(sku);
                    return _cart.Count;
                }
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Collections.Generic;
            using AgentGuard;

            public partial class ShoppingAgent
            {
                private readonly List<string> _cart = new();

                [AgentTool(Name = "add_to_cart")]
                public int AddToCart(string sku)
                {
                    _cart.Add(sku);
                    return _cart.Count;
                }
            }
            """;

        await Verify.VerifyCodeFixAsync(source, [Expected(0, "AddToCart", "changes state it did not create (_cart.Add)")], fixedSource, equivalenceKey: SideEffectingCacheableToolCodeFixProvider.Key_RemoveCacheable);
    }

    [Fact]
    public async Task TwoSideEffectingTools_FixAll_Fixes()
    {
        const string source = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public interface IPaymentGateway { Task<string> ChargeAsync(string customer, decimal amount); Task<string> RefundAsync(string chargeId); }

            public partial class BillingAgent(IPaymentGateway payments)
            {
                [AgentTool("Charges the customer", {|#0:Cacheable = true|})]
                public Task<string> ChargeAsync(string customer, decimal amount) => payments.ChargeAsync(customer, amount);

                [AgentTool("Refunds a charge", Name = "refund", {|#1:Cacheable = true|}, CacheTtlSeconds = 30)]
                public Task<string> RefundAsync(string chargeId) => payments.RefundAsync(chargeId);

                [AgentTool("Looks up a price", Cacheable = true)]
                public decimal GetPrice(string sku) => sku.Length * 10m;
            }
            """;
        const string fixedSource = /* lang=c#-test */ """
            using System.Threading.Tasks;
            using AgentGuard;

            public interface IPaymentGateway { Task<string> ChargeAsync(string customer, decimal amount); Task<string> RefundAsync(string chargeId); }

            public partial class BillingAgent(IPaymentGateway payments)
            {
                [AgentTool("Charges the customer")]
                public Task<string> ChargeAsync(string customer, decimal amount) => payments.ChargeAsync(customer, amount);

                [AgentTool("Refunds a charge", Name = "refund")]
                public Task<string> RefundAsync(string chargeId) => payments.RefundAsync(chargeId);

                [AgentTool("Looks up a price", Cacheable = true)]
                public decimal GetPrice(string sku) => sku.Length * 10m;
            }
            """;

        var test = new Verify.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = SideEffectingCacheableToolCodeFixProvider.Key_RemoveCacheable,
            NumberOfFixAllIterations = 1,
        };
        test.ExpectedDiagnostics.AddRange(
        [
            Expected(0, "ChargeAsync", "calls IPaymentGateway.ChargeAsync"),
            Expected(1, "RefundAsync", "calls IPaymentGateway.RefundAsync"),
        ]);
        await test.RunAsync();
    }
}
