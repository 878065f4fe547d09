using System.Collections.Generic;
using System.Text;
using AgentGuard.Analyzers.Generator;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// Which tool parameter types AgentGuard can describe to a model and read back, and their JSON schemas. Shared by
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

    /// <summary>The JSON schema of a parameter type (the type must be supported).</summary>
    public static void WriteSchema(StringBuilder builder, ITypeSymbol type, string? description, int depth = 0)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        builder.Append('{');
        if (!string.IsNullOrEmpty(description))
        {
            builder.Append("\"description\":");
            AppendJsonString(builder, description!);
            builder.Append(',');
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            builder.Append("\"type\":\"string\",\"enum\":[");
            var first = true;
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field)
                {
                    if (!first)
                    {
                        builder.Append(',');
                    }

                    AppendJsonString(builder, field.Name);
                    first = false;
                }
            }

            builder.Append("]}");
            return;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                builder.Append("\"type\":\"string\"}");
                return;
            case SpecialType.System_Boolean:
                builder.Append("\"type\":\"boolean\"}");
                return;
            case SpecialType.System_Int32 or SpecialType.System_Int64:
                builder.Append("\"type\":\"integer\"}");
                return;
            case SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64:
                // The range is part of the contract: the reader rejects what does not fit.
                builder.Append("\"type\":\"integer\",\"minimum\":").Append(IntegerRange(type.SpecialType).Min).Append(",\"maximum\":").Append(IntegerRange(type.SpecialType).Max).Append('}');
                return;
            case SpecialType.System_Char:
                builder.Append("\"type\":\"string\",\"minLength\":1,\"maxLength\":1}");
                return;
            case SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal:
                builder.Append("\"type\":\"number\"}");
                return;
            case SpecialType.System_DateTime:
                builder.Append("\"type\":\"string\",\"format\":\"date-time\"}");
                return;
        }

        switch (FullName(type))
        {
            case "System.Guid":
                builder.Append("\"type\":\"string\",\"format\":\"uuid\"}");
                return;
            case "System.DateTimeOffset":
                builder.Append("\"type\":\"string\",\"format\":\"date-time\"}");
                return;
            case "System.TimeSpan":
                builder.Append("\"type\":\"string\",\"pattern\":\"^-?(\\\\d+\\\\.)?\\\\d{1,2}:\\\\d{2}(:\\\\d{2}(\\\\.\\\\d+)?)?$\"}");
                return;
        }

        if (ElementType(type) is { } element)
        {
            builder.Append("\"type\":\"array\",\"items\":");
            WriteSchema(builder, element, null, depth + 1);
            builder.Append('}');
            return;
        }

        builder.Append("\"type\":\"object\",\"properties\":{");
        var firstProperty = true;

        // Required exactly when the generated reader requires it: constructor parameters with no default that are not
        // nullable, and `required` properties.
        var required = new List<string>();
        var requiredParameters = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        if (type is INamedTypeSymbol namedType && ChooseConstructor(namedType) is { } constructor)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (IsRequiredConstructorParameter(parameter))
                {
                    requiredParameters.Add(parameter.Name);
                }
            }
        }

        foreach (var property in SettableProperties(type))
        {
            if (!firstProperty)
            {
                builder.Append(',');
            }

            AppendJsonString(builder, CamelCase(property.Name));
            builder.Append(':');
            WriteSchema(builder, property.Type, DescriptionOf(property), depth + 1);
            if (property.IsRequired || requiredParameters.Contains(property.Name))
            {
                required.Add(CamelCase(property.Name));
            }

            firstProperty = false;
        }

        builder.Append('}');
        if (required.Count > 0)
        {
            builder.Append(",\"required\":[");
            for (var i = 0; i < required.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                AppendJsonString(builder, required[i]);
            }

            builder.Append(']');
        }

        builder.Append('}');
    }

    private static (string Min, string Max) IntegerRange(SpecialType type)
        => type switch
        {
            SpecialType.System_Byte => ("0", "255"),
            SpecialType.System_SByte => ("-128", "127"),
            SpecialType.System_Int16 => ("-32768", "32767"),
            SpecialType.System_UInt16 => ("0", "65535"),
            SpecialType.System_UInt32 => ("0", "4294967295"),
            _ => ("0", "18446744073709551615"),
        };

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

    /// <summary>Appends <paramref name="value"/> as a JSON string literal.</summary>
    public static void AppendJsonString(StringBuilder builder, string value)
    {
        builder.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\\':
                    builder.Append("\\\\");
                    break;
                case '\n':
                    builder.Append("\\n");
                    break;
                case '\r':
                    builder.Append("\\r");
                    break;
                case '\t':
                    builder.Append("\\t");
                    break;
                default:
                    if (c < ' ')
                    {
                        builder.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        builder.Append(c);
                    }

                    break;
            }
        }

        builder.Append('"');
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

    private static IEnumerable<IPropertySymbol> SettableProperties(ITypeSymbol type)
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

    private static string CamelCase(string name)
        => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);

    private static string FullName(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
}
