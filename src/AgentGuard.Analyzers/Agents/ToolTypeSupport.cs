using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// Which tool parameter types AgentGuard can describe to a model and read back, and their JSON shape (written by <see cref="JsonSchemaWriter"/>). Shared by
/// the generator (which emits readers and schemas) and the declaration analyzer (which reports AG1003), so the two
/// never disagree.
/// </summary>
internal static class ToolTypeSupport
{
    private const int MaxDepth = 4;

    /// <summary>The tool name the model sees: <c>AgentTool.Name</c>, else the method name without a trailing <c>Async</c>.</summary>
    public static string ToolName(IMethodSymbol method, AttributeData attribute)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Name" && named.Value.Value is string name && !string.IsNullOrWhiteSpace(name))
            {
                return name;
            }
        }

        var methodName = method.Name;
        return methodName.Length > 5 && methodName.EndsWith("Async", System.StringComparison.Ordinal)
            ? methodName.Substring(0, methodName.Length - 5)
            : methodName;
    }

    /// <summary>Whether <paramref name="type"/> is <c>System.Threading.CancellationToken</c>.</summary>
    public static bool IsCancellationToken(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>Classifies a parameter type; <see langword="false"/> when it is not supported.</summary>
    public static bool TryClassify(ITypeSymbol type, out ToolParameterKind kind, out bool isNullableValue)
    {
        isNullableValue = false;
        if (IsCancellationToken(type))
        {
            kind = ToolParameterKind.CancellationToken;
            return true;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            isNullableValue = true;
            type = nullable.TypeArguments[0];
        }

        kind = type.SpecialType switch
        {
            SpecialType.System_String => ToolParameterKind.String,
            SpecialType.System_Boolean => ToolParameterKind.Boolean,
            SpecialType.System_Int32 => ToolParameterKind.Int32,
            SpecialType.System_Int64 => ToolParameterKind.Int64,
            SpecialType.System_Byte => ToolParameterKind.Byte,
            SpecialType.System_SByte => ToolParameterKind.SByte,
            SpecialType.System_Int16 => ToolParameterKind.Int16,
            SpecialType.System_UInt16 => ToolParameterKind.UInt16,
            SpecialType.System_UInt32 => ToolParameterKind.UInt32,
            SpecialType.System_UInt64 => ToolParameterKind.UInt64,
            SpecialType.System_Char => ToolParameterKind.Char,
            SpecialType.System_Double => ToolParameterKind.Double,
            SpecialType.System_Single => ToolParameterKind.Single,
            SpecialType.System_Decimal => ToolParameterKind.Decimal,
            SpecialType.System_DateTime => ToolParameterKind.DateTime,
            _ => ToolParameterKind.Json,
        };

        if (kind != ToolParameterKind.Json)
        {
            return true;
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            kind = ToolParameterKind.Enum;
            return true;
        }

        switch (FullName(type))
        {
            case "System.Guid":
                kind = ToolParameterKind.Guid;
                return true;
            case "System.DateTimeOffset":
                kind = ToolParameterKind.DateTimeOffset;
                return true;
            case "System.TimeSpan":
                kind = ToolParameterKind.TimeSpan;
                return true;
        }

        kind = ToolParameterKind.Json;
        return IsSupportedJson(type, 0, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));
    }

    /// <summary>The <c>[Description]</c> text of a symbol, if any.</summary>
    public static string? DescriptionOf(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "DescriptionAttribute" } cls
                && cls.ToDisplayString() == "System.ComponentModel.DescriptionAttribute"
                && attribute.ConstructorArguments.Length == 1
                && attribute.ConstructorArguments[0].Value is string text)
            {
                return text;
            }
        }

        return null;
    }

    private static bool IsSupportedJson(ITypeSymbol type, int depth, HashSet<ITypeSymbol> visiting)
    {
        if (depth > MaxDepth)
        {
            return false;
        }

        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
            case SpecialType.System_Boolean:
            case SpecialType.System_Int32:
            case SpecialType.System_Int64:
            case SpecialType.System_Int16:
            case SpecialType.System_Byte:
            case SpecialType.System_SByte:
            case SpecialType.System_UInt16:
            case SpecialType.System_UInt32:
            case SpecialType.System_UInt64:
            case SpecialType.System_Char:
            case SpecialType.System_Double:
            case SpecialType.System_Single:
            case SpecialType.System_Decimal:
            case SpecialType.System_DateTime:
                return true;
            case SpecialType.System_Object:
                return false;
        }

        switch (FullName(type))
        {
            case "System.Guid":
            case "System.DateTimeOffset":
            case "System.TimeSpan":
                return true;
        }

        if (type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer or TypeKind.Delegate or TypeKind.Interface or TypeKind.TypeParameter or TypeKind.Dynamic or TypeKind.Error)
        {
            return ElementType(type) is { } listElement && IsSupportedJson(listElement, depth + 1, visiting);
        }

        if (ElementType(type) is { } element)
        {
            return IsSupportedJson(element, depth + 1, visiting);
        }

        if (type is not INamedTypeSymbol named || named.IsAbstract || named.IsGenericType || !visiting.Add(type))
        {
            return false;
        }

        try
        {
            var any = false;
            foreach (var property in SettableProperties(named))
            {
                if (!IsSupportedJson(property.Type, depth + 1, visiting))
                {
                    return false;
                }

                any = true;
            }

            return any;
        }
        finally
        {
            visiting.Remove(type);
        }
    }

    /// <summary>
    /// The constructor a tool argument of <paramref name="type"/> is built with: a public parameterless one, else the
    /// public one with the most parameters (a positional record's), copy constructors excluded.
    /// </summary>
    public static IMethodSymbol? ChooseConstructor(INamedTypeSymbol type)
    {
        IMethodSymbol? constructor = null;
        foreach (var candidate in type.InstanceConstructors)
        {
            if (candidate.DeclaredAccessibility != Accessibility.Public)
            {
                continue;
            }

            if (candidate.Parameters.Length == 0)
            {
                return candidate;
            }

            if (candidate.Parameters.Length == 1 && SymbolEqualityComparer.Default.Equals(candidate.Parameters[0].Type, type))
            {
                continue;
            }

            if (constructor is null || candidate.Parameters.Length > constructor.Parameters.Length)
            {
                constructor = candidate;
            }
        }

        return constructor;
    }

    /// <summary>Whether the model must give a constructor parameter: no default and not nullable.</summary>
    public static bool IsRequiredConstructorParameter(IParameterSymbol parameter)
        => !parameter.HasExplicitDefaultValue
            && parameter.NullableAnnotation != NullableAnnotation.Annotated
            && parameter.Type is not INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T };

    /// <summary>The element type of an array or a supported list type, else <see langword="null"/>.</summary>
    public static ITypeSymbol? ElementTypeOf(ITypeSymbol type) => ElementType(type);

    private static ITypeSymbol? ElementType(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol { Rank: 1 } array)
        {
            return array.ElementType;
        }

        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic)
        {
            switch (generic.OriginalDefinition.ToDisplayString())
            {
                case "System.Collections.Generic.List<T>":
                case "System.Collections.Generic.IList<T>":
                case "System.Collections.Generic.IReadOnlyList<T>":
                case "System.Collections.Generic.IEnumerable<T>":
                case "System.Collections.Generic.ICollection<T>":
                case "System.Collections.Generic.IReadOnlyCollection<T>":
                    return generic.TypeArguments[0];
            }
        }

        return null;
    }

    /// <summary>The public settable instance properties of a type and its bases: the members a reader sets and a schema lists.</summary>
    public static IEnumerable<IPropertySymbol> SettableProperties(ITypeSymbol type)
    {
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IPropertySymbol { DeclaredAccessibility: Accessibility.Public, IsStatic: false, IsIndexer: false, SetMethod.DeclaredAccessibility: Accessibility.Public } property
                    && property.Name != "EqualityContract")
                {
                    yield return property;
                }
            }
        }
    }

    /// <summary>The JSON name of a member: its name with a lower-case first letter.</summary>
    public static string CamelCase(string name)
        => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
