using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.CodeFixes.Prompts;

/// <summary>
/// Reordering a <c>StringBuilder</c> prompt: its append statements, grouped into lines, with the lines that hold
/// variable text after the stable ones.
/// </summary>
public sealed partial class VariablePromptPrefixCodeFixProvider
{
    /// <summary>
    /// The append statements of the builder declared by <paramref name="declarator"/>, and the same statements
    /// reordered; <see langword="null"/> when the builder is used for anything but consecutive append statements in
    /// its own block followed by <c>ToString()</c>, or when nothing moves.
    /// </summary>
    private static (List<StatementSyntax> Original, List<StatementSyntax> Reordered)? ReorderAppends(
        VariableDeclaratorSyntax declarator, SemanticModel model, CancellationToken cancellationToken)
    {
        if (declarator.Parent?.Parent is not LocalDeclarationStatementSyntax declaration
            || declaration.Parent is not BlockSyntax block
            || declarator.Initializer?.Value is not BaseObjectCreationExpressionSyntax creation
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol builder)
        {
            return null;
        }

        if (creation.ArgumentList is { } constructorArguments)
        {
            foreach (var argument in constructorArguments.Arguments)
            {
                if (model.GetTypeInfo(argument.Expression, cancellationToken).Type?.SpecialType == SpecialType.System_String
                    && !IsStableArgument(argument.Expression, model, cancellationToken))
                {
                    return null;
                }
            }
        }

        var statements = new List<StatementSyntax>();
        var first = -1;
        var last = -1;
        foreach (var identifier in block.DescendantNodes())
        {
            if (identifier is not IdentifierNameSyntax { Identifier.ValueText: var name } reference || name != builder.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(reference, cancellationToken).Symbol, builder))
            {
                continue;
            }

            if (AppendStatement(reference) is { } statement && statement.Parent == block)
            {
                var index = block.Statements.IndexOf(statement);
                if (first < 0)
                {
                    first = index;
                }
                else if (index != last + 1)
                {
                    // Something else happens between two appends.
                    return null;
                }

                last = index;
                statements.Add(statement);
                continue;
            }

            if (reference.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToString", Parent: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } } toString
                && toString.Expression == reference
                && last >= 0
                && reference.SpanStart > block.Statements[last].Span.End)
            {
                continue;
            }

            return null;
        }

        if (statements.Count < 2)
        {
            return null;
        }

        // Lines: runs of statements up to one that ends with a line break.
        var stable = new List<StatementSyntax>();
        var variable = new List<StatementSyntax>();
        var line = new List<StatementSyntax>();
        var lineIsVariable = false;
        var movesSomething = false;
        var lastLineEnded = true;
        foreach (var statement in statements)
        {
            line.Add(statement);
            lineIsVariable |= !IsStableAppend(statement, model, cancellationToken);
            lastLineEnded = EndsLine(statement, model, cancellationToken);
            if (!lastLineEnded)
            {
                continue;
            }

            movesSomething |= Flush(line, lineIsVariable, stable, variable);
            lineIsVariable = false;
        }

        if (line.Count > 0)
        {
            // A last line without a line break would run into the variable text after it.
            if (!lineIsVariable && variable.Count > 0)
            {
                return null;
            }

            movesSomething |= Flush(line, lineIsVariable, stable, variable);
        }

        if (!movesSomething)
        {
            return null;
        }

        var reordered = new List<StatementSyntax>(stable);
        reordered.AddRange(variable);
        return (statements, reordered);
    }

    private static bool Flush(List<StatementSyntax> line, bool lineIsVariable, List<StatementSyntax> stable, List<StatementSyntax> variable)
    {
        var moves = !lineIsVariable && variable.Count > 0;
        (lineIsVariable ? variable : stable).AddRange(line);
        line.Clear();
        return moves;
    }

    /// <summary>The statement <c>builder.Append(…).AppendLine(…);</c> whose chain starts at <paramref name="reference"/>, or <see langword="null"/>.</summary>
    private static StatementSyntax? AppendStatement(IdentifierNameSyntax reference)
    {
        SyntaxNode current = reference;
        var calls = 0;
        while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current
            && access.Name.Identifier.ValueText is "Append" or "AppendLine" or "AppendFormat"
            && access.Parent is InvocationExpressionSyntax invocation)
        {
            current = invocation;
            calls++;
        }

        return calls > 0 && current.Parent is ExpressionStatementSyntax statement ? statement : null;
    }

    private static bool IsStableAppend(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var node in statement.DescendantNodes())
        {
            if (node is ArgumentSyntax argument && !IsStableArgument(argument.Expression, model, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsStableArgument(ExpressionSyntax expression, SemanticModel model, CancellationToken cancellationToken)
    {
        if (IsStable(expression, model, cancellationToken))
        {
            return true;
        }

        if (expression is not InterpolatedStringExpressionSyntax interpolated)
        {
            return false;
        }

        foreach (var content in interpolated.Contents)
        {
            if (content is InterpolationSyntax hole && !IsStable(hole.Expression, model, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the statement's last call ends a line: <c>AppendLine</c>, or an append of constant text ending with a line break.</summary>
    private static bool EndsLine(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        if (statement is not ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call })
        {
            return false;
        }

        if (access.Name.Identifier.ValueText == "AppendLine")
        {
            return true;
        }

        var arguments = call.ArgumentList.Arguments;
        return arguments.Count == 1
            && model.GetConstantValue(arguments[0].Expression, cancellationToken).Value is string text
            && text.EndsWith("\n", System.StringComparison.Ordinal);
    }
}
