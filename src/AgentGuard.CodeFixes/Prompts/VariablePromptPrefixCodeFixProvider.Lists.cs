using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using AgentGuard.Analyzers.Prompts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>Reordering lists: messages and system blocks, the index of an insert into a history, and tools.</summary>
public sealed partial class VariablePromptPrefixCodeFixProvider
{
    /// <summary>
    /// The elements of <paramref name="collection"/> (up to its first spread) and the same elements with the stable
    /// ones (<paramref name="stableIndices"/>) first, each group in its original order.
    /// </summary>
    private static (List<ExpressionSyntax> Original, List<ExpressionSyntax> Reordered)? ReorderElements(SyntaxNode collection, string stableIndices)
    {
        var elements = MessageCollections.ElementsOf(collection);
        if (elements.Count == 0)
        {
            return null;
        }

        var isStable = new bool[elements.Count];
        foreach (var index in stableIndices.Split(','))
        {
            if (!int.TryParse(index, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i >= elements.Count)
            {
                return null;
            }

            isStable[i] = true;
        }

        var reordered = new List<ExpressionSyntax>(elements.Count);
        for (var i = 0; i < elements.Count; i++)
        {
            if (isStable[i])
            {
                reordered.Add(elements[i]);
            }
        }

        for (var i = 0; i < elements.Count; i++)
        {
            if (!isStable[i])
            {
                reordered.Add(elements[i]);
            }
        }

        // Each position keeps its own layout; the elements move.
        for (var i = 0; i < elements.Count; i++)
        {
            reordered[i] = reordered[i].WithTriviaFrom(elements[i]);
        }

        return (elements, reordered);
    }

    /// <summary>The constant <c>0</c> index argument of the <c>Insert</c> call at <paramref name="node"/>.</summary>
    private static ExpressionSyntax? InsertIndex(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        if (node is not InvocationExpressionSyntax invocation
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter?.Name == "index" && argument.Syntax is ArgumentSyntax { Expression: { } index } && argument.Value.ConstantValue.Value is 0)
            {
                return index;
            }
        }

        return null;
    }

    private static ExpressionSyntax IndexLiteral(int index)
        => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(index));

    /// <summary>
    /// <paramref name="tools"/> ordered by name — <c>x.OrderBy(tool =&gt; tool.Name, StringComparer.Ordinal).ToList()</c>,
    /// replacing a <c>ToList()</c> or a random <c>OrderBy</c> at its end, or <c>[.. x.OrderBy(…)]</c> for a collection
    /// expression that spreads one source — and the usings it needs; <see langword="null"/> when the items have no
    /// string <c>Name</c>.
    /// </summary>
    private static (ExpressionSyntax Replacement, bool NeedsSystem, bool NeedsLinq)? OrderTools(ExpressionSyntax tools, SemanticModel model, CancellationToken cancellationToken)
    {
        if (tools is CollectionExpressionSyntax { Elements: { Count: 1 } elements } && elements[0] is SpreadElementSyntax spread)
        {
            // [.. tools] has no type of its own: sort what it spreads.
            return OrderTools(spread.Expression, model, cancellationToken) is { } inner
                && inner.Replacement is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToList" } sorted }
                ? (SyntaxFactory.ParseExpression("[.. " + sorted.Expression.ToString() + "]"), inner.NeedsSystem, inner.NeedsLinq)
                : null;
        }

        if (ElementType(model.GetTypeInfo(tools, cancellationToken).Type) is not { } element || NameProperty(element) is not { } name)
        {
            return null;
        }

        // Sort what the list is made of, dropping a ToList() (added back) and a random order (replaced).
        var source = tools;
        if (source is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToList" } toList, ArgumentList.Arguments.Count: 0 })
        {
            source = toList.Expression;
        }

        if (source is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OrderBy" or "OrderByDescending" } randomOrder } random
            && model.GetOperation(random, cancellationToken) is IInvocationOperation sort
            && RandomKey(sort))
        {
            source = randomOrder.Expression;
        }

        if (ElementType(model.GetTypeInfo(source, cancellationToken).Type) is not { } sourceElement
            || !SymbolEqualityComparer.Default.Equals(sourceElement, element))
        {
            source = tools;
        }

        var position = tools.SpanStart;
        var parameter = "tool";
        for (var i = 1; model.LookupSymbols(position, name: parameter).Length > 0; i++)
        {
            parameter = "tool" + i.ToString(CultureInfo.InvariantCulture);
        }

        var receiver = source.WithoutTrivia().ToString();
        if (source is not (IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax or ParenthesizedExpressionSyntax))
        {
            receiver = "(" + receiver + ")";
        }

        // A foreach only enumerates: no list needed.
        var materialize = tools.Parent is not ForEachStatementSyntax;
        var replacement = SyntaxFactory.ParseExpression(
            receiver + ".OrderBy(" + parameter + " => " + parameter + "." + name + ", StringComparer.Ordinal)" + (materialize ? ".ToList()" : string.Empty));
        var needsSystem = !InScope(model, position, "StringComparer", "System");
        var needsLinq = !InScope(model, position, "Enumerable", "System.Linq");
        return (replacement, needsSystem, needsLinq);
    }

    private static void ApplyOrderTools(DocumentEditor editor, ExpressionSyntax tools, (ExpressionSyntax Replacement, bool NeedsSystem, bool NeedsLinq) ordered)
    {
        editor.ReplaceNode(tools, ordered.Replacement.WithTriviaFrom(tools));
        if (editor.OriginalRoot is not CompilationUnitSyntax root || (!ordered.NeedsSystem && !ordered.NeedsLinq))
        {
            return;
        }

        editor.ReplaceNode(root, (current, _) =>
        {
            var unit = (CompilationUnitSyntax)current;
            if (ordered.NeedsSystem)
            {
                unit = AddUsing(unit, "System");
            }

            if (ordered.NeedsLinq)
            {
                unit = AddUsing(unit, "System.Linq");
            }

            return unit;
        });
    }

    /// <summary>Adds <c>using <paramref name="name"/>;</c> among the usings, <c>System</c> ones first, in order.</summary>
    private static CompilationUnitSyntax AddUsing(CompilationUnitSyntax unit, string name)
    {
        var usings = unit.Usings;
        var eol = unit.DescendantTrivia().FirstOrDefaultEndOfLine();
        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var index = 0;
        while (index < usings.Count && usings[index].Alias is null && usings[index].StaticKeyword == default
            && CompareUsings(usings[index].Name?.ToString() ?? string.Empty, name) < 0)
        {
            index++;
        }

        return unit.WithUsings(usings.Insert(index, directive));
    }

    private static int CompareUsings(string left, string right)
    {
        var leftSystem = left == "System" || left.StartsWith("System.", System.StringComparison.Ordinal);
        var rightSystem = right == "System" || right.StartsWith("System.", System.StringComparison.Ordinal);
        return leftSystem != rightSystem ? (leftSystem ? -1 : 1) : string.CompareOrdinal(left, right);
    }

    private static bool InScope(SemanticModel model, int position, string typeName, string containingNamespace)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position, name: typeName))
        {
            if (symbol.ContainingNamespace?.ToDisplayString() == containingNamespace)
            {
                return true;
            }
        }

        return false;
    }

    private static bool RandomKey(IInvocationOperation sort)
    {
        foreach (var argument in sort.Arguments)
        {
            if (!(sort.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0)
                && VolatileValues.Find(argument.Value) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The <c>T</c> of the <c>IEnumerable&lt;T&gt;</c> that <paramref name="type"/> is or implements.</summary>
    private static ITypeSymbol? ElementType(ITypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Collections_Generic_IEnumerable_T } direct)
        {
            return direct.TypeArguments[0];
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)
            {
                return implemented.TypeArguments[0];
            }
        }

        return null;
    }

    /// <summary>The string property that names a tool: <c>Name</c> (<c>AITool</c>) or <c>FunctionName</c> (OpenAI's <c>ChatTool</c>).</summary>
    private static string? NameProperty(ITypeSymbol type)
    {
        foreach (var name in new[] { "Name", "FunctionName" })
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IPropertySymbol { IsStatic: false, Type.SpecialType: SpecialType.System_String })
                    {
                        return name;
                    }
                }
            }
        }

        return null;
    }
}
