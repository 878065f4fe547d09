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

        // A clock or random value changes on every call: any stable text after it is lost. An ordinary variable (the
        // user's input) only matters when the stable text after it could be cached on its own.
        var tree = invocation.Syntax.SyntaxTree;
        var minimum = IsVolatileBlock(text.Substring(block.Start, block.Length))
            ? MinStableLength(context.Options, tree)
            : EditorConfigOptions.GetInt(context.Options, tree, EditorConfigOptions.MinTemplateStableLengthKey, EditorConfigOptions.DefaultMinTemplateStableLength);
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

    /// <summary>A template function that reads the clock or a random source: <c>{{time.Now}}</c>, <c>{{date}}</c>, <c>{{guid}}</c>…</summary>
    private static bool IsVolatileBlock(string block)
    {
        if (block.IndexOf('$') >= 0 && block.IndexOf('.') < 0)
        {
            // {{$input}}: a variable, not a function.
            return false;
        }

        foreach (var word in VolatileTemplateWords)
        {
            if (block.IndexOf(word, System.StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] VolatileTemplateWords = { "time", "date", "now", "today", "guid", "random", "uuid" };
}
