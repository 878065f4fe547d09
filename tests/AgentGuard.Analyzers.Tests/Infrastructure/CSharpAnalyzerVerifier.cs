using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace AgentGuard.Analyzers.Tests.Infrastructure;

/// <summary>Runs one analyzer over test sources and compares its diagnostics with the expected ones.</summary>
public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    /// <summary>Creates a diagnostic result for the analyzer's only (or given) descriptor.</summary>
    public static DiagnosticResult Diagnostic(Microsoft.CodeAnalysis.DiagnosticDescriptor descriptor)
        => new(descriptor);

    /// <summary>Verifies <paramref name="source"/> produces exactly <paramref name="expected"/>.</summary>
    public static Task VerifyAsync(string source, params DiagnosticResult[] expected)
        => VerifyAsync(source, editorConfig: null, expected);

    /// <summary>Verifies with an <c>.editorconfig</c> body (lines under <c>[*.cs]</c>).</summary>
    public static Task VerifyAsync(string source, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source };
        test.ExpectedDiagnostics.AddRange(expected);
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig));
        }

        return test.RunAsync();
    }

    /// <summary>The analyzer test with AgentGuard's reference set.</summary>
    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.WithModelApis;
            TestState.AdditionalReferences.Add(TestReferences.AgentGuardRuntime);
        }
    }
}
