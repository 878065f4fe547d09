using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// What makes a <c>[Budget]</c> class and its <c>[AgentTool]</c> methods something the generator can complete. The
/// declaration analyzer reports what fails these checks (AG10xx); the generator skips it quietly. Both read them here,
/// so the two never disagree.
/// </summary>
internal static class AgentDeclaration
{
    public const string BudgetAttributeName = "AgentGuard.BudgetAttribute";
    public const string AgentToolAttributeName = "AgentGuard.AgentToolAttribute";

    public static AttributeData? FindAttribute(ISymbol symbol, string metadataName)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == metadataName)
            {
                return attribute;
            }
        }

        return null;
    }

    /// <summary>
    /// Why the generator cannot add an agent to <paramref name="type"/> — it is static, generic, not partial,
    /// file-local, or nested in a type that is not partial, is generic or is file-local — or <see langword="null"/>
    /// when it can.
    /// </summary>
    public static string? WhyNotGeneratable(INamedTypeSymbol type)
    {
        if (type.IsStatic)
        {
            return "is static";
        }

        if (type.Arity > 0)
        {
            return "is generic";
        }

        if (!IsPartial(type))
        {
            return "is not partial";
        }

        if (type.IsFileLocal)
        {
            // The generated part, in another file, could not be a part of a file-local type.
            return "is file-local";
        }

        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            if (outer.Arity > 0)
            {
                return "is nested in generic type '" + outer.Name + "'";
            }

            if (!IsPartial(outer))
            {
                return "is nested in '" + outer.Name + "', which is not partial";
            }

            if (outer.IsFileLocal)
            {
                return "is nested in '" + outer.Name + "', which is file-local";
            }
        }

        return null;
    }

    private static bool IsPartial(INamedTypeSymbol type)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Why <paramref name="method"/>'s shape cannot be a tool (AG1002) — it is generic, async void, returns by
    /// reference, or returns a value that cannot become a tool result — or <see langword="null"/> when it can.
    /// </summary>
    public static string? WhyNotTool(IMethodSymbol method)
    {
        if (method.IsGenericMethod)
        {
            return "is generic";
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            // Nothing could await it: its failures would be lost and the run would go on before it finished.
            return "is async void";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "returns by reference";
        }

        if (method.ReturnType.IsRefLikeType)
        {
            // A ref struct (Span<T>, ReadOnlySpan<T>) cannot be boxed into the tool's result.
            return "returns a ref struct ('" + method.ReturnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "')";
        }

        if (method.ReturnType.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
        {
            return "returns a pointer";
        }

        return null;
    }
}
