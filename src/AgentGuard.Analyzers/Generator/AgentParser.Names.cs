using System.Collections.Generic;
using System.Globalization;
using System.Text;
using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Generator;

/// <summary>The names of an agent's generated file and of the members it hides, and the keyword of its declaration.</summary>
internal static partial class AgentParser
{
    // A file name from the type's full name: letters, digits, '_' and '.' only (no '@' of a verbatim identifier,
    // no '<', '>' or spaces), and unique per type because nesting and namespaces keep their dots.
    private static string HintName(INamedTypeSymbol type)
    {
        var builder = new StringBuilder();
        var replaced = false;
        var parts = new List<string>();
        for (var current = type; current is not null; current = current.ContainingType)
        {
            parts.Insert(0, current.MetadataName);
        }

        for (var ns = type.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Insert(0, ns.MetadataName);
        }

        foreach (var part in parts)
        {
            if (builder.Length > 0)
            {
                builder.Append('.');
            }

            foreach (var c in part)
            {
                var keep = c < 128 && (char.IsLetterOrDigit(c) || c == '_');
                builder.Append(keep ? c : '_');
                replaced |= !keep;
            }
        }

        if (replaced)
        {
            // Non-ASCII names lose letters; a hash of the real name (FNV-1a) keeps two such types apart.
            var hash = 2166136261u;
            foreach (var c in type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
            {
                hash = (hash ^ c) * 16777619u;
            }

            builder.Append('.').Append(hash.ToString("x8", CultureInfo.InvariantCulture));
        }

        return builder.Append(GeneratedNames.GeneratedFileSuffix).ToString();
    }

    // Generated members that a base type already has with a visible declaration: the generated ones hide them, with `new`.
    private static string[] InheritedNames(INamedTypeSymbol type)
    {
        List<string>? hidden = null;
        var generated = GeneratedNames.GeneratedMemberNames(type);
        for (var current = type.BaseType; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // A base agent in this compilation gets its members from this generator run, so they are not there yet.
            if (AgentDeclaration.FindAttribute(current, AgentDeclaration.BudgetAttributeName) is not null)
            {
                foreach (var name in new[] { "AgentBudget", "AgentWorstCaseCost", "AgentTools", "RunAsync" })
                {
                    if (hidden is null || !hidden.Contains(name))
                    {
                        (hidden ??= new()).Add(name);
                    }
                }
            }

            foreach (var member in current.GetMembers())
            {
                if (member.DeclaredAccessibility != Accessibility.Private && !member.IsImplicitlyDeclared && generated.Contains(member.Name)
                    && (hidden is null || !hidden.Contains(member.Name)))
                {
                    (hidden ??= new()).Add(member.Name);
                }
            }
        }

        return hidden?.ToArray() ?? System.Array.Empty<string>();
    }

    private static string Keyword(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Interface ? "interface"
            : type.IsRecord ? (type.IsValueType ? "record struct" : "record")
            : type.IsValueType ? "struct" : "class";
}
