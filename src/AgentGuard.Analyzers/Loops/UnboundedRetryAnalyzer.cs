using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// AG0006: a loop (or goto loop) that retries a model call after a swallowed failure with no attempt limit, and
/// Polly strategies that retry forever in code that calls a model.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedRetryAnalyzer : AgentGuardAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0006_UnboundedRetry);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var cache = LoopAnalysisCache.For(symbols);
        LoopRegionSite.RegisterAction(context, cache, static facts => facts.IsUnboundedRetry, ReportLoop);
        context.RegisterOperationAction(c => AnalyzePollyForever(c, cache), OperationKind.Invocation);
        if (cache.Loop.PollyRetryStrategyOptions is not null)
        {
            context.RegisterOperationAction(c => AnalyzePollyOptions(c, cache), OperationKind.SimpleAssignment);
        }
    }

    private static void ReportLoop(OperationAnalysisContext context, LoopRegionSite site)
        => context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0006_UnboundedRetry,
            site.Location,
            Properties(context, site.Kind),
            site.IsGotoLoop ? "This goto loop" : "This loop"));

    /// <summary>Polly v7's <c>RetryForever</c> and <c>WaitAndRetryForever</c> (and their async forms).</summary>
    private static void AnalyzePollyForever(OperationAnalysisContext context, LoopAnalysisCache cache)
    {
        if (context.Operation is not IInvocationOperation invocation || invocation.TargetMethod is null)
        {
            return;
        }

        var name = invocation.TargetMethod.Name;
        if (name is not ("RetryForever" or "RetryForeverAsync" or "WaitAndRetryForever" or "WaitAndRetryForeverAsync"))
        {
            return;
        }

        var ns = invocation.TargetMethod.ContainingType?.ContainingNamespace;
        if (ns is null || ns.Name != "Polly" || ns.ContainingNamespace is not { IsGlobalNamespace: true })
        {
            return;
        }

        if (!cache.Reachability.TypeReachesModelCall(context.ContainingSymbol.ContainingType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0006_UnboundedRetry,
            invocation.Syntax.GetLocation(),
            Properties(context, LoopDiagnosticProperties.KindPollyRetryForever),
            "Polly's " + name));
    }

    /// <summary>Polly v8's <c>RetryStrategyOptions.MaxRetryAttempts = int.MaxValue</c>.</summary>
    private static void AnalyzePollyOptions(OperationAnalysisContext context, LoopAnalysisCache cache)
    {
        if (context.Operation is not ISimpleAssignmentOperation assignment
            || assignment.Target is not IPropertyReferenceOperation { Property.Name: "MaxRetryAttempts" } property
            || !property.Property.ContainingType.IsOrInheritsFrom(cache.Loop.PollyRetryStrategyOptions))
        {
            return;
        }

        var constant = assignment.Value.ConstantValue;
        if (!constant.HasValue || constant.Value is not int value || value != int.MaxValue)
        {
            return;
        }

        if (!cache.Reachability.TypeReachesModelCall(context.ContainingSymbol.ContainingType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0006_UnboundedRetry,
            assignment.Value.Syntax.GetLocation(),
            Properties(context, LoopDiagnosticProperties.KindPollyMaxRetryAttempts),
            "MaxRetryAttempts = int.MaxValue"));
    }

    private static ImmutableDictionary<string, string?> Properties(OperationAnalysisContext context, string kind)
        => LoopDiagnosticProperties.Create(
            kind,
            EditorConfigOptions.GetInt(context.Options, context.Operation.Syntax.SyntaxTree, EditorConfigOptions.MaxRetryAttemptsKey, EditorConfigOptions.DefaultMaxRetryAttempts));
}
