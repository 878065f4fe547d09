using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Infrastructure;

/// <summary>Type and member helpers shared by the rules; every comparison uses <see cref="SymbolEqualityComparer.Default"/> on original definitions.</summary>
internal static class SymbolExtensions
{
    /// <summary>Whether <paramref name="type"/> is <paramref name="target"/> (any construction of it).</summary>
    public static bool IsType(this ITypeSymbol? type, INamedTypeSymbol? target)
        => type is not null && target is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);

    /// <summary>Whether <paramref name="type"/> is <paramref name="target"/> or a class derived from it.</summary>
    public static bool IsOrInheritsFrom(this ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (target is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="target"/> or implements it (an interface).</summary>
    public static bool IsOrImplements(this ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (type is null || target is null)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target))
        {
            return true;
        }

        foreach (var candidate in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate.OriginalDefinition, target))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> is <paramref name="target"/>, a class derived from it, or implements it.</summary>
    /// <remarks>Only the relation the target's kind allows is searched: a type's interfaces are listed only for an interface.</remarks>
    public static bool IsOrDerivesFrom(this ITypeSymbol? type, INamedTypeSymbol? target)
        => target is { TypeKind: TypeKind.Interface } ? type.IsOrImplements(target) : type.IsOrInheritsFrom(target);

    /// <summary>
    /// A method as declared: an extension method called on a receiver (<c>x.M()</c>) is reduced from the static
    /// method; a generic one is constructed from its definition. This is the method whose body and symbol the rules follow.
    /// </summary>
    public static IMethodSymbol DeclaredDefinition(this IMethodSymbol method)
        => (method.ReducedFrom ?? method).OriginalDefinition;
}
