using System.Collections.Immutable;
using AgentGuard.Analyzers.Tests.Infrastructure;
using AgentGuard.Analyzers.Tests.Meta;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Tests.Performance;

/// <summary>In a project that references no model API and no AgentGuard type, AgentGuard's analyzers register nothing.</summary>
public sealed class RegistrationTests
{
    private const string PlainLibrary = /* lang=c#-test */ """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public sealed class Inventory
        {
            private readonly Dictionary<string, int> stock = new();

            // Shapes the rules look for, with no model API anywhere.
            public async Task<string> GetResponseAsync(List<string> messages)
            {
                while (true)
                {
                    messages.Add("again");
                    await Task.Yield();
                    if (messages.Count > stock.Count) return "done";
                }
            }
        }
        """;

    [Fact]
    public async Task NoModelApiReferenced_EveryAnalyzer_RegistersNoActions()
    {
        var telemetry = await TelemetryFor(References(includeModelApi: false));

        foreach (var (analyzer, info) in telemetry)
        {
            var registered = info.OperationActionsCount + info.OperationBlockActionsCount + info.OperationBlockStartActionsCount
                + info.SymbolActionsCount + info.SymbolStartActionsCount + info.SyntaxNodeActionsCount + info.SyntaxTreeActionsCount
                + info.SemanticModelActionsCount + info.CodeBlockActionsCount + info.CodeBlockStartActionsCount + info.CompilationEndActionsCount;
            Assert.True(registered == 0, $"{analyzer.GetType().Name} registered {registered} actions in a project with no model API.");
        }
    }

    [Fact]
    public async Task ModelApiReferenced_CostRulesRegister()
    {
        var telemetry = await TelemetryFor(References(includeModelApi: true));

        Assert.Contains(telemetry, t => t.Value.OperationActionsCount > 0);
    }

    [Fact]
    public async Task AgentGuardReferenced_NoFileMentionsItsAttributes_DeclarationRulesRegisterNothing()
    {
        var telemetry = await TelemetryFor(References(includeModelApi: true).Append(TestReferences.AgentGuardRuntime));

        foreach (var (analyzer, info) in telemetry)
        {
            if (analyzer is AgentGuard.Analyzers.Agents.AgentDeclarationAnalyzer or AgentGuard.Analyzers.Tools.SideEffectingCacheableToolAnalyzer)
            {
                var registered = info.OperationActionsCount + info.OperationBlockActionsCount + info.SymbolActionsCount + info.SyntaxNodeActionsCount;
                Assert.True(registered == 0, $"{analyzer.GetType().Name} registered {registered} actions in a project that declares no agent.");
            }
        }

        // The rules about model calls still run on it.
        Assert.Contains(telemetry, t => t.Value.OperationActionsCount > 0);
    }

    private static async Task<ImmutableDictionary<DiagnosticAnalyzer, Microsoft.CodeAnalysis.Diagnostics.Telemetry.AnalyzerTelemetryInfo>> TelemetryFor(IEnumerable<MetadataReference> references)
    {
        var compilation = CSharpCompilation.Create(
            "Plain",
            [CSharpSyntaxTree.ParseText(PlainLibrary)],
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = RuleMetadataTests.AllAnalyzers().ToImmutableArray();
        var withAnalyzers = compilation.WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(
            new AnalyzerOptions([]), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true, reportSuppressedDiagnostics: false));
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        Assert.Empty(diagnostics);
        var telemetry = ImmutableDictionary.CreateBuilder<DiagnosticAnalyzer, Microsoft.CodeAnalysis.Diagnostics.Telemetry.AnalyzerTelemetryInfo>();
        foreach (var analyzer in analyzers)
        {
            telemetry.Add(analyzer, await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None));
        }

        return telemetry.ToImmutable();
    }

    private static IEnumerable<MetadataReference> References(bool includeModelApi)
    {
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        foreach (var path in trusted)
        {
            var name = Path.GetFileName(path);
            if (name.StartsWith("System.", StringComparison.Ordinal) || name is "netstandard.dll" or "mscorlib.dll")
            {
                yield return MetadataReference.CreateFromFile(path);
            }
        }

        if (includeModelApi)
        {
            yield return MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "Microsoft.Extensions.AI.Abstractions.dll"));
        }
    }
}
