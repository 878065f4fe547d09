using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>
/// Base of every AgentGuard analyzer. Its sealed <see cref="Initialize"/> turns on concurrent execution, skips
/// generated code, resolves the well-known symbols once per compilation and registers nothing at all when the
/// compilation references no model API and no AgentGuard type.
/// </summary>
public abstract class AgentGuardAnalyzer : DiagnosticAnalyzer
{
    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var symbols = AgentGuardSymbols.For(start.Compilation, start.Options.AnalyzerConfigOptionsProvider);
            if (!IsRelevant(symbols))
            {
                return;
            }

            OnCompilationStart(start, symbols);
        });
    }

    /// <summary>
    /// Whether this analyzer has anything to look at in a compilation. The default is "some model API is
    /// referenced"; analyzers of AgentGuard's own attributes override it.
    /// </summary>
    protected virtual bool IsRelevant(AgentGuardSymbols symbols) => symbols.HasModelApi;

    /// <summary>Registers the analyzer's actions for one compilation, with its symbols already resolved.</summary>
    protected abstract void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols);
}
