using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Threading;
using AgentGuard.Analyzers.Agents;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AgentGuard.Analyzers.Generator;

/// <summary>
/// Turns a <c>[Budget]</c> class into an <see cref="AgentSpec"/> of strings and numbers. Declarations the
/// generator cannot honour (not partial, unsupported tools) yield no spec or skip the tool: the
/// <see cref="Agents.AgentDeclarationAnalyzer"/> reports them, the generator stays quiet.
/// </summary>
internal static class AgentParser
{
    public const string BudgetAttributeName = "AgentGuard.BudgetAttribute";
    public const string AgentToolAttributeName = "AgentGuard.AgentToolAttribute";

    public static AgentSpec? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type
            || context.Attributes.Length == 0
            || WhyNotGeneratable(type) is not null
            || context.TargetNode.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 })
        {
            return null;
        }

        var budget = ReadBudget(context.Attributes[0]);
        if (!BudgetValues.CanGenerate(budget) || FindMemberClash(type) is not null)
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

            var attribute = FindAttribute(method, AgentToolAttributeName);
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
            new EquatableArray<string>(InheritedNames(type)));
    }

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
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } method && FindAttribute(method, AgentToolAttributeName) is { } attribute)
            {
                var baseName = PropertyName(ToolTypeSupport.ToolName(method, attribute));
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

    // Generated members that a base type already has with a visible declaration: the generated ones hide them, with `new`.
    private static string[] InheritedNames(INamedTypeSymbol type)
    {
        List<string>? hidden = null;
        var generated = GeneratedMemberNames(type);
        for (var current = type.BaseType; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            // A base agent in this compilation gets its members from this generator run, so they are not there yet.
            if (FindAttribute(current, BudgetAttributeName) is not null)
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

    /// <summary>The suffix of every file the generator adds.</summary>
    public const string GeneratedFileSuffix = ".AgentGuard.g.cs";

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

        return builder.Append(GeneratedFileSuffix).ToString();
    }

    public static BudgetSpec ReadBudget(AttributeData attribute)
    {
        int maxSteps = 0, maxToolCalls = 0, maxOutput = 0, maxTokens = 0, maxRetries = 0;
        double soft = 0, hard = 0;
        string? fallback = null;
        foreach (var named in attribute.NamedArguments)
        {
            var value = named.Value.Value;
            switch (named.Key)
            {
                case "MaxSteps": maxSteps = value is int a ? a : 0; break;
                case "MaxToolCalls": maxToolCalls = value is int b ? b : 0; break;
                case "MaxOutputTokensPerStep": maxOutput = value is int c ? c : 0; break;
                case "MaxTotalTokens": maxTokens = value is int d ? d : 0; break;
                case "MaxRetriesPerTool": maxRetries = value is int e ? e : 0; break;
                case "SoftLimitUsd": soft = value is double f ? f : 0; break;
                case "HardLimitUsd": hard = value is double g ? g : 0; break;
                case "FallbackModelId": fallback = value as string; break;
            }
        }

        return new BudgetSpec(maxSteps, maxToolCalls, maxOutput, maxTokens, soft, hard, maxRetries, fallback);
    }

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
    /// Why the generator cannot add an agent to <paramref name="type"/> — it is static, generic, not partial, or
    /// nested in a type that is not partial or is generic — or <see langword="null"/> when it can.
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

    private static ToolSpec? ParseTool(IMethodSymbol method, AttributeData attribute, ReaderBuilder readers, CancellationToken cancellationToken)
    {
        if (WhyNotTool(method) is not null)
        {
            return null;
        }

        var parameters = ImmutableArray.CreateBuilder<ToolParameterSpec>(method.Parameters.Length);
        var schema = new StringBuilder("{\"type\":\"object\",\"properties\":{");
        var required = new List<string>();
        var firstProperty = true;
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

            if (!firstProperty)
            {
                schema.Append(',');
            }

            ToolTypeSupport.AppendJsonString(schema, parameter.Name);
            schema.Append(':');
            ToolTypeSupport.WriteSchema(schema, parameter.Type, ToolTypeSupport.DescriptionOf(parameter));
            firstProperty = false;
            if (!isOptional)
            {
                required.Add(parameter.Name);
            }
        }

        schema.Append('}');
        if (required.Count > 0)
        {
            schema.Append(",\"required\":[");
            for (var i = 0; i < required.Count; i++)
            {
                if (i > 0)
                {
                    schema.Append(',');
                }

                ToolTypeSupport.AppendJsonString(schema, required[i]);
            }

            schema.Append(']');
        }

        schema.Append('}');

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
            PropertyName(toolName),
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
            text.Append(parameter.TypeName).Append(' ').Append(parameter.Name).Append('\n');
        }

        text.Append(schema);

        // FNV-1a, 64 bits: stable across processes and platforms, which string.GetHashCode is not.
        var hash = 14695981039346656037UL;
        foreach (var c in text.ToString())
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return "sig:" + hash.ToString("x16", CultureInfo.InvariantCulture);
    }

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

    private static string PropertyName(string toolName)
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

    private static string Keyword(INamedTypeSymbol type)
        => type.TypeKind == TypeKind.Interface ? "interface"
            : type.IsRecord ? (type.IsValueType ? "record struct" : "record")
            : type.IsValueType ? "struct" : "class";
}
