using System.Collections.Immutable;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace AgentGuard.Analyzers.Pipelines;

/// <summary>
/// AG0007: <c>UseAgentGuard(…)</c> added to a <c>ChatClientBuilder</c> before <c>UseFunctionInvocation()</c>, so the
/// guard wraps the tool loop instead of sitting inside it.
/// </summary>
/// <remarks>
/// Calls are matched by symbol: AgentGuard's <c>AgentGuardChatClientBuilderExtensions.UseAgentGuard</c>,
/// Microsoft.Extensions.AI's <c>FunctionInvokingChatClientBuilderExtensions.UseFunctionInvocation</c>, and
/// <c>ChatClientBuilder.Use</c> with a lambda that creates a <c>FunctionInvokingChatClient</c> (or a
/// <c>BudgetChatClient</c>, which counts as a guard). The order is read along one fluent chain, and on through the
/// later statements of the same block that call the same builder local. Reported only when a tool loop comes after
/// the guard with no guard after the last tool loop (a guard on both sides is accepted by the runtime), and only when
/// every later use of the builder can be read: a builder returned, passed on, stored or used in a branch may still
/// get a guard inside, and is not reported.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class GuardOutsideFunctionInvocationAnalyzer : AgentGuardAnalyzer
{
    /// <summary>Diagnostic property: present when the code fix can move the call.</summary>
    public const string MovableProperty = "Movable";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0007_GuardOutsideFunctionInvocation);

    protected override bool IsRelevant(AgentGuardSymbols symbols) => BuilderPipeline.For(symbols) is not null;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        if (BuilderPipeline.For(symbols) is not { } pipeline)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeInvocation(c, pipeline), OperationKind.Invocation);
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, BuilderPipeline pipeline)
    {
        if (context.Operation is not IInvocationOperation invocation
            || !pipeline.IsGuard(invocation)
            || pipeline.FindUnguardedFunctionInvocationAfter(invocation, context.CancellationToken) is not { } toolLoop)
        {
            return;
        }

        var syntax = invocation.Syntax;
        var movable = syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } guardCall
            && IsCalledOn(invocation, access.Expression)
            && toolLoop.Syntax is InvocationExpressionSyntax
            && !guardCall.Span.Contains(toolLoop.Syntax.Span);
        var location = syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax name } call
            ? Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(name.Name.SpanStart, call.ArgumentList.Span.End))
            : syntax.GetLocation();
        var properties = movable
            ? ImmutableDictionary<string, string?>.Empty.Add(MovableProperty, "true")
            : ImmutableDictionary<string, string?>.Empty;
        var shown = pipeline.IsUseFunctionInvocation(toolLoop)
            ? "UseFunctionInvocation()"
            : "the Use(…) that creates a FunctionInvokingChatClient";

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0007_GuardOutsideFunctionInvocation,
            location,
            new[] { toolLoop.Syntax.GetLocation() },
            properties,
            shown));
    }

    /// <summary>Whether the call is written <c>builder.UseAgentGuard(…)</c>, not as a static call with the builder as an argument.</summary>
    private static bool IsCalledOn(IInvocationOperation invocation, ExpressionSyntax receiver)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return argument.Value.Syntax == receiver;
            }
        }

        return false;
    }
}
