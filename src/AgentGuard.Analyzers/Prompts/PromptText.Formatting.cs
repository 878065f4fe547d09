using System.Collections.Generic;
using System.Globalization;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AgentGuard.Analyzers.Prompts;

/// <summary>The readers of built text: <c>string.Format</c> and <c>StringBuilder</c> appends.</summary>
internal sealed partial class PromptText
{
    private bool AddFormat(IInvocationOperation invocation, int depth)
    {
        string? format = null;
        var values = new List<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            var name = argument.Parameter?.Name;
            if (name == "format")
            {
                format = argument.Value.ConstantValue.Value as string;
            }
            else if (name == "provider")
            {
                continue;
            }
            else if (argument.Value.UnwrapImplicitAndStringConversions() is IArrayCreationOperation { Initializer: { } array } && argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                foreach (var element in array.ElementValues)
                {
                    values.Add(element);
                }
            }
            else
            {
                values.Add(argument.Value);
            }
        }

        if (format is null)
        {
            return false;
        }

        var textLength = 0;
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                textLength++;
                i++;
                continue;
            }

            if (c != '{')
            {
                textLength++;
                continue;
            }

            var close = format.IndexOf('}', i);
            if (close < 0)
            {
                return false;
            }

            var hole = format.Substring(i + 1, close - i - 1);
            var end = hole.IndexOfAny(new[] { ',', ':' });
            if (!int.TryParse(end < 0 ? hole : hole.Substring(0, end), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                || index >= values.Count)
            {
                return false;
            }

            if (textLength > 0)
            {
                AddConstant(invocation.Syntax, textLength);
                textLength = 0;
            }

            Add(values[index], depth);
            i = close;
        }

        if (textLength > 0)
        {
            AddConstant(invocation.Syntax, textLength);
        }

        return true;
    }

    private bool AddStringBuilder(ILocalSymbol builder, int depth)
    {
        if (builder.DeclaringSyntaxReferences.Length != 1
            || builder.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax declarator
            || declarator.SyntaxTree != model.SyntaxTree
            || declarator.EnclosingFunctionScope() is not { } scope)
        {
            return false;
        }

        if (declarator.Initializer?.Value is { } initial
            && model.GetOperation(initial, cancellationToken) is IObjectCreationOperation creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter?.Type.SpecialType == SpecialType.System_String)
                {
                    Add(argument.Value, depth);
                }
            }
        }

        // Appends in source order; anything else done to the builder (Insert, Clear, passing it on) makes it unreadable.
        foreach (var node in scope.DescendantNodes())
        {
            if (node is not IdentifierNameSyntax identifier || identifier.Identifier.ValueText != builder.Name || identifier.Parent is VariableDeclaratorSyntax)
            {
                continue;
            }

            if (identifier.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } access && access.Expression == identifier
                && (access.Name.Identifier.ValueText == "ToString" || AddAppendChain(call, access.Name.Identifier.ValueText, depth)))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads <c>builder.Append(…).AppendLine(…)…</c> from its first call on, up to a closing <c>ToString()</c>;
    /// <see langword="false"/> when a call in the chain is not an append.
    /// </summary>
    private bool AddAppendChain(InvocationExpressionSyntax call, string method, int depth)
    {
        while (true)
        {
            if (method is not ("Append" or "AppendLine" or "AppendFormat")
                || model.GetOperation(call, cancellationToken) is not IInvocationOperation append)
            {
                return false;
            }

            if (method == "AppendFormat")
            {
                if (!AllOrNothing(() => AddFormat(append, depth)))
                {
                    AddVariable(call, append);
                }
            }
            else
            {
                foreach (var argument in append.Arguments)
                {
                    Add(argument.Value, depth);
                }

                if (method == "AppendLine")
                {
                    AddConstant(call, 1);
                }
            }

            if (call.Parent is not MemberAccessExpressionSyntax next || next.Expression != call)
            {
                return true;
            }

            method = next.Name.Identifier.ValueText;
            if (method == "ToString")
            {
                return true;
            }

            if (next.Parent is not InvocationExpressionSyntax nextCall)
            {
                return false;
            }

            call = nextCall;
        }
    }
}
