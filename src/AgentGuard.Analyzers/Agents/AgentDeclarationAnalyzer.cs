using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// Checks <c>[Budget]</c> and <c>[AgentTool]</c> declarations (AG1001–AG1009) and states each agent's worst-case
/// cost (AG1010). The generator skips what this analyzer reports, so every problem surfaces here, once.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AgentDeclarationAnalyzer : AgentGuardAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.AG1001_AgentClassNotPartial,
        DiagnosticDescriptors.AG1002_UnsupportedToolSignature,
        DiagnosticDescriptors.AG1003_UnsupportedToolParameterType,
        DiagnosticDescriptors.AG1004_DuplicateToolName,
        DiagnosticDescriptors.AG1005_BudgetWithoutLimit,
        DiagnosticDescriptors.AG1006_SoftLimitNotBelowHardLimit,
        DiagnosticDescriptors.AG1007_BudgetWithoutOutputCap,
        DiagnosticDescriptors.AG1008_FallbackModelWithoutSoftLimit,
        DiagnosticDescriptors.AG1009_AgentToolWithoutBudget,
        DiagnosticDescriptors.AG1010_WorstCaseCost,
        DiagnosticDescriptors.AG1011_LanguageVersionTooLow,
        DiagnosticDescriptors.AG1012_BudgetValueOutOfRange,
        DiagnosticDescriptors.AG1013_AgentMemberNameClash);

    protected override bool IsRelevant(AgentGuardSymbols symbols) => symbols.HasAgentGuard;

    protected override void OnCompilationStart(CompilationStartAnalysisContext context, AgentGuardSymbols symbols)
    {
        // A project that references AgentGuard and declares no agent pays one text search, and nothing else: no type
        // is asked for its attributes unless its declaration carries one of their names.
        var names = AgentAttributeNames.For(context.Compilation);
        if (!names.AnyMentioned)
        {
            return;
        }

        var budgetAttribute = symbols.BudgetAttribute;
        var toolAttribute = symbols.AgentToolAttribute;
        context.RegisterSymbolAction(
            ctx =>
            {
                if (ctx.Symbol is INamedTypeSymbol type && names.MayDeclareAgent(type))
                {
                    AnalyzeType(ctx, budgetAttribute, toolAttribute);
                }
            },
            SymbolKind.NamedType);
    }

    private static void AnalyzeType(SymbolAnalysisContext context, INamedTypeSymbol? budgetAttribute, INamedTypeSymbol? toolAttribute)
    {
        if (context.Symbol is not INamedTypeSymbol type || type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
        {
            return;
        }

        var budget = Find(type, budgetAttribute);
        List<(IMethodSymbol Method, AttributeData Attribute)>? tools = null;
        if (toolAttribute is not null)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol method && Find(method, toolAttribute) is { } attribute)
                {
                    (tools ??= new()).Add((method, attribute));
                }
            }
        }

        if (budget is null && tools is null)
        {
            return;
        }

        var location = type.Locations.Length > 0 ? type.Locations[0] : Location.None;
        if (budget is not null
            && type.DeclaringSyntaxReferences.Length > 0
            && type.DeclaringSyntaxReferences[0].SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 } parseOptions)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1011_LanguageVersionTooLow, location, type.Name, parseOptions.LanguageVersion.ToDisplayString()));
        }

        if (AgentDeclaration.WhyNotGeneratable(type) is { } reason)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1001_AgentClassNotPartial, location, type.Name, reason));
        }

        if (budget is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1009_AgentToolWithoutBudget, location, type.Name));
        }
        else
        {
            AnalyzeBudget(context, type, budget);
            if (GeneratedNames.FindMemberClash(type) is { } clash)
            {
                var clashLocation = clash.Locations.Length > 0 && clash.Locations[0].IsInSource ? clash.Locations[0] : location;
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1013_AgentMemberNameClash, clashLocation, type.Name, clash.Name));
            }
        }

        if (tools is null)
        {
            return;
        }

        var names = new Dictionary<string, IMethodSymbol>();
        foreach (var (method, attribute) in tools)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            var methodLocation = method.Locations.Length > 0 ? method.Locations[0] : location;
            if (AgentDeclaration.WhyNotTool(method) is { } notTool)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1002_UnsupportedToolSignature, methodLocation, method.Name, notTool));
                continue;
            }

            var signatureOk = true;
            foreach (var parameter in method.Parameters)
            {
                var parameterLocation = parameter.Locations.Length > 0 ? parameter.Locations[0] : methodLocation;
                if (parameter.RefKind != RefKind.None)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1002_UnsupportedToolSignature, parameterLocation, method.Name, "has a '" + parameter.RefKind.ToString().ToLowerInvariant() + "' parameter '" + parameter.Name + "'"));
                    signatureOk = false;
                }
                else if (parameter.IsParams)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1002_UnsupportedToolSignature, parameterLocation, method.Name, "has a params parameter '" + parameter.Name + "'"));
                    signatureOk = false;
                }
                else if (parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
                {
                    context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1002_UnsupportedToolSignature, parameterLocation, method.Name, "has a pointer parameter '" + parameter.Name + "'"));
                    signatureOk = false;
                }
                else if (parameter.Type.TypeKind != TypeKind.Error && !ToolTypeSupport.TryClassify(parameter.Type, out _, out _))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        DiagnosticDescriptors.AG1003_UnsupportedToolParameterType,
                        parameterLocation,
                        parameter.Name,
                        method.Name,
                        parameter.Type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
                    signatureOk = false;
                }
            }

            if (!signatureOk)
            {
                continue;
            }

            var toolName = ToolTypeSupport.ToolName(method, attribute);
            if (names.TryGetValue(toolName, out var first))
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1004_DuplicateToolName, methodLocation, toolName, type.Name));
            }
            else
            {
                names.Add(toolName, method);
            }
        }
    }

    private static void AnalyzeBudget(SymbolAnalysisContext context, INamedTypeSymbol type, AttributeData attribute)
    {
        var location = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken).GetLocation()
            ?? (type.Locations.Length > 0 ? type.Locations[0] : Location.None);
        var budget = BudgetSpec.Read(attribute);

        // A value that cannot be enforced is the one thing worth saying about such a budget.
        if (BudgetValues.Problems(budget) is { } problems)
        {
            foreach (var (property, value) in problems)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1012_BudgetValueOutOfRange, location, property, value, type.Name));
            }

            return;
        }

        if (budget.HardLimitUsd <= 0 && budget.MaxSteps <= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1005_BudgetWithoutLimit, location, type.Name));
        }

        if (BudgetValues.SoftNotBelowHard(budget))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.AG1006_SoftLimitNotBelowHardLimit,
                location,
                budget.SoftLimitUsd.ToString("0.####", CultureInfo.InvariantCulture),
                budget.HardLimitUsd.ToString("0.####", CultureInfo.InvariantCulture),
                type.Name));
        }

        if (budget.MaxOutputTokensPerStep <= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1007_BudgetWithoutOutputCap, location, type.Name));
        }

        if (!string.IsNullOrWhiteSpace(budget.FallbackModelId) && budget.SoftLimitUsd <= 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.AG1008_FallbackModelWithoutSoftLimit, location, type.Name, budget.FallbackModelId));
        }

        var (bound, explanation) = WorstCaseCost.Compute(budget);
        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG1010_WorstCaseCost,
            location,
            type.Name,
            WorstCaseCost.Format(bound),
            DefaultPrices.AsOf,
            explanation));
    }

    private static AttributeData? Find(ISymbol symbol, INamedTypeSymbol? attributeType)
    {
        if (attributeType is null)
        {
            return null;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return attribute;
            }
        }

        return null;
    }
}
