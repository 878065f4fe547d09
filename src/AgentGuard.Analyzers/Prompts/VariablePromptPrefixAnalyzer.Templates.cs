using AgentGuard.Analyzers.Infrastructure;
using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>Semantic Kernel prompt templates whose first variable block precedes stable text.</summary>
public sealed partial class VariablePromptPrefixAnalyzer
{
    private static void AnalyzeTemplate(OperationAnalysisContext context, IInvocationOperation invocation)
    {
        IOperation? template = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "promptTemplate" when argument.Parameter.Type.SpecialType == SpecialType.System_String:
                    template = argument.Value;
                    break;
                case "templateFormat" when argument.ArgumentKind != ArgumentKind.DefaultValue
                    && argument.Value.ConstantValue is not { HasValue: true, Value: null or "semantic-kernel" }:
                    // Handlebars, Liquid or a format only known at run time: another syntax.
                    return;
            }
        }

        if (template?.UnwrapImplicitAndStringConversions() is not { ConstantValue: { HasValue: true, Value: string text } } constant)
        {
            return;
        }

        var segments = PromptTemplateText.Split(text);
        TemplateSegment? first = null;
        var stableAfter = 0;
        foreach (var segment in segments)
        {
            if (first is null)
            {
                if (segment.Kind == TemplateSegmentKind.VariableBlock)
                {
                    first = segment;
                }
            }
            else if (segment.Kind != TemplateSegmentKind.VariableBlock)
            {
                stableAfter += segment.Length;
            }
        }

        if (first is not { } block)
        {
            return;
        }

        // The template is the whole request: unless its stable text could be cached on its own, nothing is lost
        // whatever comes first — a clock value included.
        var minimum = EditorConfigOptions.GetInt(
            context.Options, invocation.Syntax.SyntaxTree, EditorConfigOptions.MinTemplateStableLengthKey, EditorConfigOptions.DefaultMinTemplateStableLength);
        if (stableAfter < minimum)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty;
        Location[]? additional = null;
        if (constant.Syntax is LiteralExpressionSyntax literal && literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            properties = properties.Add(PromptFixProperties.Fix, PromptFixProperties.FixReorderTemplate);
            additional = new[] { literal.GetLocation() };
        }

        context.ReportDiagnostic(Diagnostic.Create(
            DiagnosticDescriptors.AG0003_VariableContentBeforeCacheablePrefix,
            template.Syntax.GetLocation(),
            additional,
            properties,
            "The template block '" + Short(text.Substring(block.Start, block.Length)) + "'",
            stableAfter.ToString(CultureInfo.InvariantCulture) + " characters of stable prompt text",
            MoveAfterStableText));
    }
}
