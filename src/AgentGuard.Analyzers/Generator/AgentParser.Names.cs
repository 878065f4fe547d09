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
    // no '<', '>', spaces or non-ASCII letters), then a hash of the real name (FNV-1a) that keeps every type apart —
    // hint names are compared ignoring case, so `Shop.Agent` and `Shop.agent` would otherwise clash.
    private static string HintName(INamedTypeSymbol type)
    {
        var builder = new StringBuilder();
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
                builder.Append(c < 128 && (char.IsLetterOrDigit(c) || c == '_') ? c : '_');
            }
        }

        var hash = 2166136261u;
        foreach (var c in type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat))
        {
            hash = (hash ^ c) * 16777619u;
        }

        builder.Append('.').Append(hash.ToString("x8", CultureInfo.InvariantCulture));

        return builder.Append(GeneratedNames.GeneratedFileSuffix).ToString();
    }

    // Generated members that a base type already has with a declaration this type can see: the generated ones hide
    // them, with `new`. Only what really is hidden, or `new` itself warns (CS0109).
    private static string[] InheritedNames(INamedTypeSymbol type, Compilation compilation)
    {
        List<string>? hidden = null;
        void Add(string name)
        {
            if (hidden is null || !hidden.Contains(name))
            {
                (hidden ??= new()).Add(name);
            }
        }

        var generated = GeneratedNames.GeneratedMemberNames(type);
        for (var current = type.BaseType; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // A base agent in this compilation gets its public members from this generator run, so they are not there
            // yet — if the generator will build it at all.
            if (current.DeclaringSyntaxReferences.Length > 0
                && AgentDeclaration.FindAttribute(current, AgentDeclaration.BudgetAttributeName) is { } budget
                && AgentDeclaration.WhyNotGeneratable(current) is null
                && BudgetValues.CanGenerate(BudgetSpec.Read(budget))
                && GeneratedNames.FindMemberClash(current) is null)
            {
                Add("AgentBudget");
                Add("AgentWorstCaseCost");
                Add("AgentTools");
                Add("RunAsync");
            }

            foreach (var member in current.GetMembers())
            {
                if (!member.IsImplicitlyDeclared
                    && generated.Contains(member.Name)
                    && compilation.IsSymbolAccessibleWithin(member, type)
                    && (member is not IMethodSymbol method || HidesGeneratedMethod(method)))
                {
                    Add(member.Name);
                }
            }
        }

        return hidden?.ToArray() ?? System.Array.Empty<string>();
    }

    // A base method is hidden by a generated one only with the same parameters; an overload is not hidden.
    private static bool HidesGeneratedMethod(IMethodSymbol method)
    {
        var parameters = method.Parameters;
        if (method.Name == "RunAsync")
        {
            return parameters.Length == 4 && parameters[0].Type.Name == "IChatClient";
        }

        if (method.Name == "InvokeAgentToolAsync")
        {
            return parameters.Length == 3 && parameters[0].Type.Name == "FunctionCallContent";
        }

        // Invoke{Tool}ToolAsync(arguments, cache, cancellationToken).
        return parameters.Length == 3 && parameters[1].Type.Name == "ToolResultCache";
    }

    private static string Keyword(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Interface ? "interface"
            : type.IsRecord ? (type.IsValueType ? "record struct" : "record")
            : type.IsValueType ? "struct" : "class";
}
