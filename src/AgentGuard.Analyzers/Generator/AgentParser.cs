using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Threading;
using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AgentGuard.Analyzers.Generator;

/// <summary>
/// Turns a <c>[Budget]</c> class into an <see cref="AgentSpec"/> of strings and numbers. Declarations the
/// generator cannot honour (not partial, unsupported tools) yield no spec or skip the tool: the
/// <see cref="Agents.AgentDeclarationAnalyzer"/> reports them, the generator stays quiet.
/// </summary>
internal static partial class AgentParser
{
    public static AgentSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.Attributes.Length == 0
            || AgentDeclaration.WhyNotGeneratable(type) is not null
            || context.TargetNode.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 })
        {
            return null;
        }

        var budget = BudgetSpec.Read(context.Attributes[0]);
        if (!BudgetValues.CanGenerate(budget) || GeneratedNames.FindMemberClash(type) is not null)
        {
            return null;
        }

        cancellationToken.ThrowIfCancellationRequested();

        var tools = new List<ToolSpec>();
        var readers = new ReaderBuilder();
        var names = new HashSet<string>();
        var properties = new HashSet<string>();
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol method || method.MethodKind != MethodKind.Ordinary)
            {
                continue;
            }

            var attribute = AgentDeclaration.FindAttribute(method, AgentDeclaration.AgentToolAttributeName);
            if (attribute is null || ParseTool(method, attribute, readers, cancellationToken) is not { } tool || !names.Add(tool.ToolName))
            {
                continue;
            }

            var property = tool.PropertyName;
            for (var i = 2; !properties.Add(property); i++)
            {
                property = tool.PropertyName + i.ToString(CultureInfo.InvariantCulture);
            }

            tools.Add(property == tool.PropertyName ? tool : tool with { PropertyName = property });
        }

        var containing = new List<ContainingTypeSpec>();
        for (var outer = type.ContainingType; outer is not null; outer = outer.ContainingType)
        {
            containing.Insert(0, new ContainingTypeSpec(Keyword(outer), outer.Name));
        }

        var (bound, explanation) = WorstCaseCost.Compute(budget);
        var fullName = type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new AgentSpec(
            type.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : null,
            new EquatableArray<ContainingTypeSpec>(containing.ToArray()),
            type.Name,
            Keyword(type),
            fullName,
            HintName(type),
            budget,
            WorstCaseCost.Format(bound) + " (" + explanation + "; prices as of " + DefaultPrices.AsOf + ")",
            new EquatableArray<ToolSpec>(tools.ToArray()),
            new EquatableArray<ReaderSpec>(readers.Readers),
            new EquatableArray<string>(InheritedNames(type, context.SemanticModel.Compilation)));
    }

    private static ToolSpec? ParseTool(IMethodSymbol method, AttributeData attribute, ReaderBuilder readers, CancellationToken cancellationToken)
    {
        if (AgentDeclaration.WhyNotTool(method) is not null)
        {
            return null;
        }

        var parameters = ImmutableArray.CreateBuilder<ToolParameterSpec>(method.Parameters.Length);
        var schema = new JsonSchemaWriter();
        schema.StartObject();
        foreach (var parameter in method.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (parameter.RefKind != RefKind.None || parameter.IsParams || !ToolTypeSupport.TryClassify(parameter.Type, out var kind, out var isNullableValue))
            {
                return null;
            }

            var typeName = parameter.Type.ToDisplayString(TypeFormats.Qualified);
            var isOptional = parameter.HasExplicitDefaultValue
                || isNullableValue
                || parameter.NullableAnnotation == NullableAnnotation.Annotated;
            var defaultLiteral = parameter.HasExplicitDefaultValue ? Literal(parameter) : null;
            string? readerKey = null;
            if (kind == ToolParameterKind.Json)
            {
                readerKey = readers.Describe(parameter.Type)?.ReaderKey;
                if (readerKey is null)
                {
                    return null;
                }
            }

            parameters.Add(new ToolParameterSpec(parameter.Name, typeName, kind, isNullableValue, isOptional, defaultLiteral, Expected(kind, parameter.Type), readerKey));

            if (kind == ToolParameterKind.CancellationToken)
            {
                continue;
            }

            schema.StartProperty(parameter.Name, required: !isOptional);
            schema.WriteType(parameter.Type, ToolTypeSupport.DescriptionOf(parameter));
        }

        schema.EndObject();

        string? description = attribute.ConstructorArguments.Length > 0 ? attribute.ConstructorArguments[0].Value as string : null;
        var cacheable = false;
        var ttl = 0;
        string? version = null;
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "Cacheable" && named.Value.Value is bool flag)
            {
                cacheable = flag;
            }
            else if (named.Key == "CacheTtlSeconds" && named.Value.Value is int seconds)
            {
                ttl = seconds;
            }
            else if (named.Key == "Version" && named.Value.Value is string declared && !string.IsNullOrWhiteSpace(declared))
            {
                version = declared;
            }
        }

        var toolName = ToolTypeSupport.ToolName(method, attribute);
        var schemaText = schema.ToString();
        version ??= SignatureVersion(method, toolName, parameters, schemaText);
        return new ToolSpec(
            toolName,
            method.Name,
            GeneratedNames.ToolPropertyName(toolName),
            description ?? ToolTypeSupport.DescriptionOf(method) ?? string.Empty,
            method.IsStatic,
            cacheable,
            ttl,
            ReturnKind(method),
            schemaText,
            new EquatableArray<ToolParameterSpec>(parameters.ToImmutable()),
            version);
    }

    // A tool's cache version when it declares none: a hash of everything that decides what it returns for given
    // arguments as far as the compiler can see — agent, method and tool names, the return type, each parameter's
    // type and name, and the schema (record members, enum names). A changed signature misses old cached results.
    private static string SignatureVersion(IMethodSymbol method, string toolName, ImmutableArray<ToolParameterSpec>.Builder parameters, string schema)
    {
        var text = new StringBuilder()
            .Append(method.ContainingType.ToDisplayString(TypeFormats.Qualified)).Append('\n')
            .Append(method.Name).Append('\n')
            .Append(toolName).Append('\n')
            .Append(method.ReturnType.ToDisplayString(TypeFormats.Qualified)).Append('\n');
        foreach (var parameter in parameters)
        {
            // The default decides what the tool receives when the model leaves the argument out.
            text.Append(parameter.TypeName).Append(' ').Append(parameter.Name)
                .Append(parameter.IsOptional ? " = " + (parameter.DefaultValueLiteral ?? "default") : string.Empty).Append('\n');
        }

        text.Append(schema).Append('\n');
        AppendShape(text, UnwrapTask(method.ReturnType), 0, new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default));

        // FNV-1a, 64 bits: stable across processes and platforms, which string.GetHashCode is not.
        var hash = 14695981039346656037UL;
        foreach (var c in text.ToString())
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return "sig:" + hash.ToString("x16", CultureInfo.InvariantCulture);
    }

    // The result's shape — its public properties, their types, recursively — so a result type that gained or lost a
    // member gets a new version and a shared store never serves the old shape.
    private static void AppendShape(StringBuilder text, ITypeSymbol type, int depth, HashSet<ITypeSymbol> visiting)
    {
        if (depth > 3 || type.SpecialType != SpecialType.None || type is not INamedTypeSymbol named || !visiting.Add(type))
        {
            return;
        }

        foreach (var member in named.GetMembers())
        {
            if (member is IPropertySymbol { DeclaredAccessibility: Accessibility.Public, IsStatic: false, IsIndexer: false } property)
            {
                text.Append(' ', depth).Append(property.Name).Append(':').Append(property.Type.ToDisplayString(TypeFormats.Qualified)).Append('\n');
                AppendShape(text, property.Type, depth + 1, visiting);
            }
        }

        visiting.Remove(type);
    }

    private static ITypeSymbol UnwrapTask(ITypeSymbol type)
        => type is INamedTypeSymbol { IsGenericType: true, Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks" } } task
            ? task.TypeArguments[0]
            : type;

    private static ToolReturnKind ReturnKind(IMethodSymbol method)
    {
        if (method.ReturnsVoid)
        {
            return ToolReturnKind.Void;
        }

        if (method.ReturnType is INamedTypeSymbol named && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
        {
            switch (named.Name)
            {
                case "Task":
                    return named.IsGenericType ? ToolReturnKind.TaskOfT : ToolReturnKind.Task;
                case "ValueTask":
                    return named.IsGenericType ? ToolReturnKind.ValueTaskOfT : ToolReturnKind.ValueTask;
            }
        }

        return ToolReturnKind.Value;
    }

    private static string Expected(ToolParameterKind kind, ITypeSymbol type)
        => kind switch
        {
            ToolParameterKind.String => "a string",
            ToolParameterKind.Boolean => "true or false",
            ToolParameterKind.Int32 or ToolParameterKind.Int64 => "a whole number",
            ToolParameterKind.Byte or ToolParameterKind.SByte or ToolParameterKind.Int16 or ToolParameterKind.UInt16 or ToolParameterKind.UInt32 or ToolParameterKind.UInt64
                => "a whole number from " + IntegerRangeText(type),
            ToolParameterKind.Char => "a single character",
            ToolParameterKind.Double or ToolParameterKind.Single or ToolParameterKind.Decimal => "a number",
            ToolParameterKind.Guid => "a UUID",
            ToolParameterKind.DateTime or ToolParameterKind.DateTimeOffset => "an ISO 8601 date and time",
            ToolParameterKind.TimeSpan => "a duration such as 01:30:00",
            ToolParameterKind.Enum => "one of the listed names",
            _ => "JSON matching the schema of " + type.Name,
        };

    private static string IntegerRangeText(ITypeSymbol type)
        => (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type).SpecialType switch
        {
            SpecialType.System_Byte => "0 to 255",
            SpecialType.System_SByte => "-128 to 127",
            SpecialType.System_Int16 => "-32768 to 32767",
            SpecialType.System_UInt16 => "0 to 65535",
            SpecialType.System_UInt32 => "0 to 4294967295",
            _ => "0 to 18446744073709551615",
        };

    /// <summary>The C# literal of a parameter's default value.</summary>
    internal static string Literal(IParameterSymbol parameter)
    {
        var value = parameter.ExplicitDefaultValue;
        var type = parameter.Type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : parameter.Type;
        if (value is null)
        {
            return "default";
        }

        var typeName = type.ToDisplayString(TypeFormats.QualifiedNonNullable);
        if (type.TypeKind == TypeKind.Enum)
        {
            // Parenthesised so a negative member value stays a cast: (T)(-1).
            return "(" + typeName + ")(" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")";
        }

        return value switch
        {
            string s => SymbolDisplay.FormatLiteral(s, quote: true),
            bool b => b ? "true" : "false",
            char c => SymbolDisplay.FormatLiteral(c, quote: true),
            double d when double.IsNaN(d) => "double.NaN",
            double d when double.IsPositiveInfinity(d) => "double.PositiveInfinity",
            double d when double.IsNegativeInfinity(d) => "double.NegativeInfinity",
            double d => d.ToString("R", CultureInfo.InvariantCulture) + "d",
            float f when float.IsNaN(f) => "float.NaN",
            float f when float.IsPositiveInfinity(f) => "float.PositiveInfinity",
            float f when float.IsNegativeInfinity(f) => "float.NegativeInfinity",
            float f => f.ToString("R", CultureInfo.InvariantCulture) + "f",
            decimal m => m.ToString(CultureInfo.InvariantCulture) + "m",
            long l => l.ToString(CultureInfo.InvariantCulture) + "L",
            _ => "(" + typeName + ")(" + System.Convert.ToString(value, CultureInfo.InvariantCulture) + ")",
        };
    }

}
