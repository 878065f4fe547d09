using System.Collections.Immutable;
using AgentGuard.Analyzers.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>Helpers the loop-rule tests share.</summary>
internal static class LoopTestHelpers
{
    /// <summary>
    /// A budget type in the <c>AgentGuard</c> namespace, compiled into its own assembly, standing in for the runtime's
    /// budget and ledger types (the rule recognises any member of a referenced <c>AgentGuard</c> type).
    /// </summary>
    private const string BudgetStubSource = """
        namespace AgentGuard
        {
            public sealed class TestRunBudget
            {
                public bool IsExhausted { get; private set; }
                public decimal RemainingUsd { get; private set; } = 5m;
                public void Record(decimal usd) { RemainingUsd -= usd; IsExhausted = RemainingUsd <= 0; }
                public void ThrowIfExceeded() { if (IsExhausted) throw new System.InvalidOperationException("Budget spent."); }
            }

        }
        """;

    private static MetadataReference? budgetStub;

    /// <summary>Verifies a program written with top-level statements (a console chat).</summary>
    public static Task VerifyTopLevelAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }

    /// <summary>Verifies <paramref name="source"/> with the AgentGuard budget stub referenced.</summary>
    public static async Task VerifyWithBudgetAsync<TAnalyzer>(string source, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerVerifier<TAnalyzer>.Test { TestCode = source };
        test.TestState.AdditionalReferences.Add(await BudgetStubAsync());
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private static async Task<MetadataReference> BudgetStubAsync()
    {
        if (budgetStub is not null)
        {
            return budgetStub;
        }

        var references = await TestReferences.Plain.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            "AgentGuard.BudgetStub",
            [CSharpSyntaxTree.ParseText(BudgetStubSource)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        budgetStub = MetadataReference.CreateFromImage(ImmutableArray.Create(image.ToArray()));
        return budgetStub;
    }
}
