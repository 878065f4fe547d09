using System;
using System.Collections.Generic;
using System.Text;
using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Generator;

/// <summary>
/// Describes how to read each record, class, array and list type a tool takes, so the emitter can write a
/// reflection-free reader per type. One builder per agent; a type used by several tools gets one reader.
/// </summary>
internal sealed class ReaderBuilder
{
    private static readonly SymbolDisplayFormat TypeFormat = TypeFormats.Qualified;

    private static readonly SymbolDisplayFormat NonNullableTypeFormat = TypeFormats.QualifiedNonNullable;

    private readonly Dictionary<string, ReaderSpec> readers = new(StringComparer.Ordinal);
    private readonly List<ReaderSpec> ordered = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);

    public ReaderSpec[] Readers => ordered.ToArray();

    /// <summary>How to read a value of <paramref name="type"/>; <see langword="null"/> when it is not supported.</summary>
    public ValueSpec? Describe(ITypeSymbol type, int depth = 0)
    {
        if (depth > 6)
        {
            return null;
        }

        var isNullableValue = false;
        var inner = type;
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            isNullableValue = true;
            inner = nullable.TypeArguments[0];
        }

        if (!ToolTypeSupport.TryClassify(inner, out var kind, out _) || kind == ToolParameterKind.CancellationToken)
        {
            return null;
        }

        var typeName = inner.ToDisplayString(NonNullableTypeFormat);
        if (kind != ToolParameterKind.Json)
        {
            return new ValueSpec(kind, typeName, isNullableValue, null);
        }

        if (readers.TryGetValue(typeName, out var existing))
        {
            return new ValueSpec(kind, typeName, isNullableValue, existing.Key);
        }

        var key = UniqueKey(inner);
        if (ToolTypeSupport.ElementTypeOf(inner) is { } elementType)
        {
            var element = Describe(elementType, depth + 1);
            if (element is null)
            {
                return null;
            }

            var shape = inner is IArrayTypeSymbol ? ReaderShape.Array : ReaderShape.List;
            Add(new ReaderSpec(key, typeName, shape, element, new EquatableArray<MemberSpec>(Array.Empty<MemberSpec>())));
            return new ValueSpec(kind, typeName, isNullableValue, key);
        }

        if (inner is not INamedTypeSymbol named)
        {
            return null;
        }

        // Reserve the key first so a type that refers to itself fails instead of recursing for ever.
        readers[typeName] = new ReaderSpec(key, typeName, ReaderShape.Object, null, default);
        var members = DescribeMembers(named, depth);
        if (members is null)
        {
            readers.Remove(typeName);
            return null;
        }

        var spec = new ReaderSpec(key, typeName, ReaderShape.Object, null, new EquatableArray<MemberSpec>(members.ToArray()), named.IsRecord);
        readers[typeName] = spec;
        ordered.Add(spec);
        return new ValueSpec(kind, typeName, isNullableValue, key);
    }

    private List<MemberSpec>? DescribeMembers(INamedTypeSymbol type, int depth)
    {
        var constructor = ToolTypeSupport.ChooseConstructor(type);
        if (constructor is null)
        {
            return null;
        }

        var members = new List<MemberSpec>();
        var bound = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in constructor.Parameters)
        {
            var value = Describe(parameter.Type, depth + 1);
            if (value is null || parameter.RefKind != RefKind.None)
            {
                return null;
            }

            var nullable = value.IsNullableValue || parameter.NullableAnnotation == NullableAnnotation.Annotated;
            members.Add(new MemberSpec(
                parameter.Name,
                ToolTypeSupport.CamelCase(parameter.Name),
                value,
                MemberBinding.Constructor,
                Required: ToolTypeSupport.IsRequiredConstructorParameter(parameter),
                nullable,
                parameter.HasExplicitDefaultValue ? AgentParser.Literal(parameter) : null));
            bound.Add(parameter.Name);
        }

        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is not IPropertySymbol { DeclaredAccessibility: Accessibility.Public, IsStatic: false, IsIndexer: false } property
                    || property.SetMethod is not { DeclaredAccessibility: Accessibility.Public } setter
                    || property.Name == "EqualityContract"
                    || bound.Contains(property.Name))
                {
                    continue;
                }

                var value = Describe(property.Type, depth + 1);
                if (value is null)
                {
                    return null;
                }

                var nullable = value.IsNullableValue || property.NullableAnnotation == NullableAnnotation.Annotated;
                members.Add(new MemberSpec(property.Name, ToolTypeSupport.CamelCase(property.Name), value, setter.IsInitOnly ? MemberBinding.Init : MemberBinding.Set, Required: property.IsRequired, nullable));
                bound.Add(property.Name);
            }
        }

        return members.Count == 0 ? null : members;
    }

    private void Add(ReaderSpec spec)
    {
        readers[spec.TypeName] = spec;
        ordered.Add(spec);
    }

    private string UniqueKey(ITypeSymbol type)
    {
        var builder = new StringBuilder();
        AppendName(builder, type);
        var key = builder.ToString();
        // A reader of an object also has a field of its member names, `ReadToolValue{Key}Names`: reserved with the key
        // so that no other type's reader takes that name.
        var unique = key;
        for (var i = 2; keys.Contains(unique) || keys.Contains(unique + "Names"); i++)
        {
            unique = key + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        keys.Add(unique);
        keys.Add(unique + "Names");
        return unique;
    }

    private static void AppendName(StringBuilder builder, ITypeSymbol type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                AppendName(builder, array.ElementType);
                builder.Append("Array");
                break;
            case INamedTypeSymbol { IsGenericType: true } generic:
                foreach (var argument in generic.TypeArguments)
                {
                    AppendName(builder, argument);
                }

                builder.Append(generic.Name);
                break;
            default:
                builder.Append(type.Name);
                break;
        }
    }

    internal static string TypeName(ITypeSymbol type) => type.ToDisplayString(TypeFormat);
}
