using System.Collections.Immutable;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// AG0001: a loop, goto loop or recursion that reaches a model call and that only the model's output ends; a
/// <c>FunctionInvokingChatClient</c> or Anthropic tool runner allowed more round trips than the configured ceiling.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedAgentLoopAnalyzer : AgentGuardAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.AG0001_UnboundedAgentLoop,
        DiagnosticDescriptors.AG0001_UnboundedAgentRecursion,
        DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation);

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        var cache = LoopAnalysisCache.For(symbols);
        LoopRegionSite.RegisterAction(context, cache, static facts => facts.IsUnboundedAgentLoop, ReportLoop);
        context.RegisterOperationAction(c => AnalyzeInvocation(c, cache), OperationKind.Invocation);
        var bounds = ImmutableArray.CreateBuilder<(INamedTypeSymbol Type, string Property)>();
        foreach (var bound in ModelApiCatalog.LoopBounds)
        {
            if (symbols.Types.Get(bound.TypeMetadataName) is { } type)
            {
                bounds.Add((type, bound.Property));
            }
        }

        if (bounds.Count > 0)
        {
            var resolved = bounds.ToImmutable();
            context.RegisterOperationAction(c => AnalyzeAssignment(c, resolved), OperationKind.SimpleAssignment);
        }
    }

    private static void ReportLoop(OperationAnalysisContext context, LoopRegionSite site)
        => context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0001_UnboundedAgentLoop,
            site.Location,
            StepProperties(context, site.Kind)));

    private static void AnalyzeInvocation(OperationAnalysisContext context, LoopAnalysisCache cache)
    {
        if (context.Operation is not IInvocationOperation invocation || invocation.TargetMethod is null)
        {
            return;
        }

        var target = invocation.TargetMethod;
        if (target.Name == "ToolRunner")
        {
            AnalyzeToolRunner(context, invocation, cache);
            return;
        }

        var targetOriginal = target.DeclaredDefinition();
        if (!cache.Names.AnyModelCall || targetOriginal.DeclaringSyntaxReferences.Length == 0)
        {
            return;
        }

        // The function the call is made from: a local function, or the member being analyzed (not a lambda). The
        // recursion is judged by what it reaches, so it must reach a model call by name before anything else.
        var enclosing = invocation.EnclosingFunction(context.ContainingSymbol);
        if (enclosing is null || !cache.Names.MayReachModelCall(enclosing, depth: 0))
        {
            return;
        }

        // Is it a recursion at all (the method calls itself, or a method that calls it back)? Names first, then
        // symbols; only then the question that binds bodies: does the recursion reach a model call?
        enclosing = enclosing.OriginalDefinition;
        var direct = SymbolEqualityComparer.Default.Equals(targetOriginal, enclosing);
        if (!direct && (!cache.Names.MayCall(targetOriginal, enclosing) || !Calls(cache, targetOriginal, enclosing)))
        {
            return;
        }

        if ((cache.Reachability.ForMethod(enclosing) & Reach.ModelCall) == 0)
        {
            return;
        }

        var body = cache.GetBodyOperation(enclosing, context.Operation.SemanticModel);
        if (body is null)
        {
            return;
        }

        var targets = direct ? ImmutableArray.Create(enclosing) : ImmutableArray.Create(enclosing, targetOriginal);
        var region = LoopRegion.ForRecursion(body, targets, DepthParameters(body, enclosing));
        if (region is null)
        {
            return;
        }

        var facts = LoopBoundAnalysis.Analyze(region, cache);
        if (!facts.IsUnboundedAgentLoop)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0001_UnboundedAgentRecursion,
            invocation.Syntax.GetLocation(),
            StepProperties(context, LoopDiagnosticProperties.KindRecursion),
            enclosing.Name));
    }

    private static bool Calls(LoopAnalysisCache cache, IMethodSymbol caller, IMethodSymbol callee)
    {
        foreach (var candidate in cache.Reachability.DirectSourceCallees(caller))
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, callee))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parameters the method passes on to itself as <c>depth + 1</c> (or <c>- 1</c>): depth counters.</summary>
    private static ImmutableArray<IParameterSymbol> DepthParameters(IOperation body, IMethodSymbol method)
    {
        ImmutableArray<IParameterSymbol>.Builder? result = null;
        foreach (var operation in body.DescendantsAndSelfSkippingLocalFunctions(includeLambdas: false))
        {
            if (operation is not IInvocationOperation call
                || call.TargetMethod is null
                || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.OriginalDefinition, method))
            {
                continue;
            }

            foreach (var argument in call.Arguments)
            {
                var value = argument.Value.UnwrapAllConversions();
                var parameter = value switch
                {
                    IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } binary
                        => (binary.LeftOperand.UnwrapAllConversions() as IParameterReferenceOperation
                            ?? binary.RightOperand.UnwrapAllConversions() as IParameterReferenceOperation)?.Parameter,
                    IIncrementOrDecrementOperation increment => (increment.Target.UnwrapAllConversions() as IParameterReferenceOperation)?.Parameter,
                    _ => null,
                };

                if (parameter is not null)
                {
                    (result ??= ImmutableArray.CreateBuilder<IParameterSymbol>()).Add(parameter);
                }
            }
        }

        return result?.ToImmutable() ?? ImmutableArray<IParameterSymbol>.Empty;
    }

    private static void AnalyzeToolRunner(OperationAnalysisContext context, IInvocationOperation invocation, LoopAnalysisCache cache)
    {
        var extensions = cache.Loop.AnthropicToolRunnerExtensions;
        var method = invocation.TargetMethod.DeclaredDefinition();
        if (extensions is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, extensions))
        {
            return;
        }

        var ceiling = Ceiling(context);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name != "maxIterations")
            {
                continue;
            }

            string? shown = null;
            var constant = argument.Value.ConstantValue;
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || (constant.HasValue && constant.Value is null))
            {
                shown = "unlimited";
            }
            else if (constant.HasValue && constant.Value is int value && value > ceiling)
            {
                shown = Show(value);
            }

            if (shown is null)
            {
                return;
            }

            var location = argument.IsImplicit ? invocation.Syntax.GetLocation() : argument.Value.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation,
                location,
                LoopDiagnosticProperties.Create(LoopDiagnosticProperties.KindToolRunner, ceiling),
                "ToolRunner's maxIterations",
                shown,
                ceiling.ToString(CultureInfo.InvariantCulture)));
            return;
        }
    }

    /// <summary>
    /// A framework's own loop bound (<see cref="ModelApiCatalog.LoopBounds"/>) set above <c>AG0001.max_iterations</c>:
    /// the tool loop of <c>FunctionInvokingChatClient</c>, an Agent Framework group chat.
    /// </summary>
    private static void AnalyzeAssignment(OperationAnalysisContext context, ImmutableArray<(INamedTypeSymbol Type, string Property)> bounds)
    {
        if (context.Operation is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment)
        {
            return;
        }

        var isBound = false;
        foreach (var (type, name) in bounds)
        {
            if (property.Property.Name == name && property.Property.ContainingType.IsOrInheritsFrom(type))
            {
                isBound = true;
                break;
            }
        }

        if (!isBound)
        {
            return;
        }

        var constant = assignment.Value.ConstantValue;
        if (!constant.HasValue || constant.Value is not int value)
        {
            return;
        }

        var ceiling = Ceiling(context);
        if (value <= ceiling)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0001_UnboundedFunctionInvocation,
            assignment.Value.Syntax.GetLocation(),
            LoopDiagnosticProperties.Create(LoopDiagnosticProperties.KindFunctionInvocation, ceiling),
            property.Property.Name,
            Show(value),
            ceiling.ToString(CultureInfo.InvariantCulture)));
    }

    private static string Show(int value)
        => value == int.MaxValue ? "int.MaxValue" : value.ToString(CultureInfo.InvariantCulture);

    private static int Ceiling(OperationAnalysisContext context)
        => EditorConfigOptions.GetInt(context.Options, context.Operation.Syntax.SyntaxTree, EditorConfigOptions.MaxIterationsKey, EditorConfigOptions.DefaultMaxIterations);

    private static ImmutableDictionary<string, string?> StepProperties(OperationAnalysisContext context, string kind)
        => LoopDiagnosticProperties.Create(
            kind,
            EditorConfigOptions.GetInt(context.Options, context.Operation.Syntax.SyntaxTree, EditorConfigOptions.MaxStepsKey, EditorConfigOptions.DefaultMaxSteps));
}
