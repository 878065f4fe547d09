using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// The names the generator gives what it adds to an agent class — members, per-tool members, files — and the check
/// that the class declares none of them itself (AG1013).
/// </summary>
internal static class GeneratedNames
{
    /// <summary>The suffix of every file the generator adds.</summary>
    public const string GeneratedFileSuffix = ".AgentGuard.g.cs";

    /// <summary>
    /// The names of the members the generator adds to <paramref name="type"/>: its public surface, its private
    /// plumbing and the per-tool members (<c>{Tool}ToolSchema</c>, <c>Invoke{Tool}ToolAsync</c>).
    /// </summary>
    public static HashSet<string> GeneratedMemberNames(INamedTypeSymbol type)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal)
        {
            "AgentBudget", "AgentWorstCaseCost", "AgentTools", "RunAsync", "agentTools", "AgentToolFunctions", "InvokeAgentToolAsync",
            type.Name + "Ledger", type.Name + "ToolCounters",
        };
        var properties = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && AgentDeclaration.FindAttribute(method, AgentDeclaration.AgentToolAttributeName) is { } attribute)
            {
                var baseName = ToolPropertyName(ToolTypeSupport.ToolName(method, attribute));
                var property = baseName;
                for (var i = 2; !properties.Add(property); i++)
                {
                    property = baseName + i.ToString(CultureInfo.InvariantCulture);
                }

                names.Add(property + "ToolSchema");
                names.Add("Invoke" + property + "ToolAsync");
            }
        }

        return names;
    }

    /// <summary>
    /// The first member <paramref name="type"/> declares itself — in source the generator did not write — whose name
    /// the generator would add too (AG1013), or <see langword="null"/>.
    /// </summary>
    public static ISymbol? FindMemberClash(INamedTypeSymbol type)
    {
        var generated = GeneratedMemberNames(type);
        foreach (var member in type.GetMembers())
        {
            if (member.IsImplicitlyDeclared || IsGeneratedByAgentGuard(member))
            {
                continue;
            }

            if (generated.Contains(member.Name) || member.Name.StartsWith("ReadToolValue", System.StringComparison.Ordinal))
            {
                return member;
            }
        }

        foreach (var nested in type.GetTypeMembers())
        {
            if (!IsGeneratedByAgentGuard(nested) && generated.Contains(nested.Name))
            {
                return nested;
            }
        }

        return null;
    }

    private static bool IsGeneratedByAgentGuard(ISymbol symbol)
    {
        foreach (var reference in symbol.DeclaringSyntaxReferences)
        {
            if (!reference.SyntaxTree.FilePath.EndsWith(GeneratedFileSuffix, System.StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return symbol.DeclaringSyntaxReferences.Length > 0;
    }

    public static string ToolPropertyName(string toolName)
    {
        var builder = new StringBuilder(toolName.Length);
        var upper = true;
        foreach (var c in toolName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                upper = true;
                continue;
            }

            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        if (builder.Length == 0 || char.IsDigit(builder[0]))
        {
            builder.Insert(0, "Tool");
        }

        return builder.ToString();
    }
}
