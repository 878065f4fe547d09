using System.Collections.Immutable;
using AgentGuard.Analyzers.Agents;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Tools;

/// <summary>
/// AG0004: a method with <c>[AgentTool(Cacheable = true)]</c> that does more than compute its result, or returns
/// nothing at all. A cached call returns the stored result without running the method, so its effect is lost.
/// </summary>
/// <remarks>The effects are those of <see cref="SideEffectFinder"/>; the diagnostic is on <c>Cacheable = true</c>.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SideEffectingCacheableToolAnalyzer : AgentGuardAnalyzer
{
    /// <summary>The attribute property that turns on result caching.</summary>
    internal const string CacheableProperty = "Cacheable";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(DiagnosticDescriptors.AG0004_SideEffectingCacheableTool);

    protected override bool IsRelevant(AgentGuardSymbols symbols) => symbols.HasAgentGuard;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        if (symbols.AgentToolAttribute is not { } agentTool)
        {
            return;
        }

        // Only methods whose declaration carries [AgentTool] by name are asked for their attributes.
        var names = AgentAttributeNames.For(context.Compilation);
        if (!names.AnyMentioned)
        {
            return;
        }

        var taskType = symbols.Types.Get(WellKnownTypeNames.Task);
        var valueTaskType = symbols.Types.Get(WellKnownTypeNames.ValueTask);
        context.RegisterOperationBlockAction(c =>
        {
            if (c.OwningSymbol is IMethodSymbol method && names.MayBeTool(method))
            {
                Analyze(c, agentTool, taskType, valueTaskType);
            }
        });
    }

    private static void Analyze(OperationBlockAnalysisContext context, INamedTypeSymbol agentTool, INamedTypeSymbol? taskType, INamedTypeSymbol? valueTaskType)
    {
        if (context.OwningSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method
            || context.OperationBlocks.IsEmpty
            || FindCacheableTool(method, agentTool) is not { } attribute)
        {
            return;
        }

        var location = CacheableLocation(attribute, context.CancellationToken) ?? (method.Locations.IsEmpty ? Location.None : method.Locations[0]);
        var returnType = method.ReturnType;
        if (returnType.SpecialType == SpecialType.System_Void
            || (taskType is not null && SymbolEqualityComparer.Default.Equals(returnType, taskType))
            || (valueTaskType is not null && SymbolEqualityComparer.Default.Equals(returnType, valueTaskType)))
        {
            var display = returnType.SpecialType == SpecialType.System_Void ? "void" : returnType.Name;
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.AG0004_SideEffectingCacheableTool,
                location,
                method.Name,
                "returns nothing (" + display + "), so all it does is its effect"));
            return;
        }

        var model = context.OperationBlocks[0].SemanticModel;
        if (model is null)
        {
            return;
        }

        var catalog = SideEffectCatalog.FromOption(
            EditorConfigOptions.GetString(context.Options, model.SyntaxTree, EditorConfigOptions.SideEffectMethodNamesKey));
        var finder = new SideEffectFinder(model, catalog, method, context.CancellationToken);
        foreach (var block in context.OperationBlocks)
        {
            // The blocks include the method's attribute arguments (Cacheable = true itself) and parameter defaults.
            if (block is IParameterInitializerOperation || block.Syntax.FirstAncestorOrSelf<AttributeSyntax>() is not null)
            {
                continue;
            }

            if (finder.Find(block, depth: 0) is { } effect)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.AG0004_SideEffectingCacheableTool,
                    location,
                    method.Name,
                    effect));
                return;
            }
        }
    }

    private static AttributeData? FindCacheableTool(IMethodSymbol method, INamedTypeSymbol agentTool)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, agentTool))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == CacheableProperty && argument.Value.Value is true)
                {
                    return attribute;
                }
            }
        }

        return null;
    }

    private static Location? CacheableLocation(AttributeData attribute, System.Threading.CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is not AttributeSyntax { ArgumentList: { } arguments })
        {
            return null;
        }

        foreach (var argument in arguments.Arguments)
        {
            if (argument.NameEquals?.Name.Identifier.ValueText == CacheableProperty)
            {
                return argument.GetLocation();
            }
        }

        return null;
    }
}
