using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using AgentGuard.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// The names under which <c>[Budget]</c> and <c>[AgentTool]</c> can be written in a compilation, found from text and
/// syntax alone: the filter that keeps the declaration rules (AG1001–AG1013, AG0004) from asking any symbol for its
/// attributes — which binds them — unless its declaration carries one of those names.
/// </summary>
/// <remarks>
/// An attribute is written by its simple name (<c>Budget</c>, <c>BudgetAttribute</c>, qualified or not) or through a
/// <c>using</c> alias, whose directive names the attribute type. A file that mentions neither name can use neither
/// attribute; a compilation none of whose files does needs no declaration rule at all.
/// </remarks>
internal sealed class AgentAttributeNames
{
    private static readonly ConditionalWeakTable<Compilation, AgentAttributeNames> Cache = new();

    private static readonly string[] BudgetNames = { "Budget", "BudgetAttribute" };
    private static readonly string[] ToolNames = { "AgentTool", "AgentToolAttribute" };

    private readonly HashSet<string> budget = new(BudgetNames, StringComparer.Ordinal);
    private readonly HashSet<string> tool = new(ToolNames, StringComparer.Ordinal);

    private AgentAttributeNames(bool anyMentioned)
    {
        AnyMentioned = anyMentioned;
    }

    /// <summary>Whether some file of the compilation mentions either attribute.</summary>
    public bool AnyMentioned { get; }

    /// <summary>The names of a compilation, found once.</summary>
    public static AgentAttributeNames For(Compilation compilation)
        => Cache.GetValue(compilation, Find);

    /// <summary>Whether a declaration of <paramref name="type"/> carries <c>[Budget]</c> or one of its methods <c>[AgentTool]</c>, by name.</summary>
    public bool MayDeclareAgent(INamedTypeSymbol type)
    {
        if (!AnyMentioned)
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
            {
                continue;
            }

            if (Carries(declaration.AttributeLists, budget) || Carries(declaration.AttributeLists, tool))
            {
                return true;
            }

            foreach (var member in declaration.Members)
            {
                if (member is MethodDeclarationSyntax method && Carries(method.AttributeLists, tool))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Whether a declaration of <paramref name="method"/> carries <c>[AgentTool]</c>, by name.</summary>
    public bool MayBeTool(IMethodSymbol method)
    {
        if (!AnyMentioned)
        {
            return false;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is MethodDeclarationSyntax declaration && Carries(declaration.AttributeLists, tool))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Carries(SyntaxList<AttributeListSyntax> lists, HashSet<string> names)
    {
        foreach (var list in lists)
        {
            foreach (var attribute in list.Attributes)
            {
                if (SimpleName(attribute.Name) is { } name && names.Contains(name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? SimpleName(NameSyntax name)
        => name switch
        {
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax aliasQualified => aliasQualified.Name.Identifier.ValueText,
            _ => null,
        };

    private static AgentAttributeNames Find(Compilation compilation)
    {
        List<SyntaxTree>? mentioning = null;
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText();
            if (SourceTextSearch.ContainsAnyIdentifier(text, BudgetNames) || SourceTextSearch.ContainsAnyIdentifier(text, ToolNames))
            {
                (mentioning ??= new List<SyntaxTree>()).Add(tree);
            }
        }

        var result = new AgentAttributeNames(mentioning is not null);
        if (mentioning is null)
        {
            return result;
        }

        // Aliases: `using B = AgentGuard.BudgetAttribute;` makes `[B]` a budget. Only files that mention a name can
        // declare one.
        foreach (var tree in mentioning)
        {
            var root = tree.GetRoot();
            foreach (var node in root.DescendantNodes(static n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias: { } alias, Name: { } target } && SimpleName(target) is { } targetName)
                {
                    if (Array.IndexOf(BudgetNames, targetName) >= 0)
                    {
                        result.budget.Add(alias.Name.Identifier.ValueText);
                    }
                    else if (Array.IndexOf(ToolNames, targetName) >= 0)
                    {
                        result.tool.Add(alias.Name.Identifier.ValueText);
                    }
                }
            }
        }

        return result;
    }
}
