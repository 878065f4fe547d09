using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Agents;

/// <summary>
/// Writes the compact JSON schema a model sees for a tool: the tool's own object schema (one property per parameter)
/// and, through <see cref="WriteType"/>, the schema of each parameter type. The one writer of schema text, so a
/// tool's schema and the schemas of its argument types are escaped, ordered and marked required the same way.
/// </summary>
internal sealed class JsonSchemaWriter
{
    private readonly StringBuilder builder = new();

    // One entry per open object schema: whether it has a property yet, and its required property names.
    private readonly Stack<ObjectState> objects = new();

    /// <summary>Opens an object schema: <c>{"description":…,"type":"object","properties":{</c>.</summary>
    public void StartObject(string? description = null)
    {
        builder.Append('{');
        WriteDescription(description);
        builder.Append("\"type\":\"object\",\"properties\":{");
        objects.Push(new ObjectState());
    }

    /// <summary>Starts a property of the open object schema; its value is the next <see cref="WriteType"/>.</summary>
    public void StartProperty(string name, bool required)
    {
        var current = objects.Peek();
        if (current.HasProperty)
        {
            builder.Append(',');
        }

        current.HasProperty = true;
        if (required)
        {
            current.Required.Add(name);
        }

        WriteString(name);
        builder.Append(':');
    }

    /// <summary>Closes the open object schema, with the list of its required properties when there are any.</summary>
    public void EndObject()
    {
        var current = objects.Pop();
        builder.Append('}');
        if (current.Required.Count > 0)
        {
            builder.Append(",\"required\":[");
            for (var i = 0; i < current.Required.Count; i++)
            {
                if (i > 0)
                {
                    builder.Append(',');
                }

                WriteString(current.Required[i]);
            }

            builder.Append(']');
        }

        builder.Append('}');
    }

    /// <summary>Writes the schema of a parameter type (one <see cref="ToolTypeSupport.TryClassify"/> accepts).</summary>
    public void WriteType(ITypeSymbol type, string? description)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (TryWriteScalar(type, description))
        {
            return;
        }

        if (ToolTypeSupport.ElementTypeOf(type) is { } element)
        {
            builder.Append('{');
            WriteDescription(description);
            builder.Append("\"type\":\"array\",\"items\":");
            WriteType(element, null);
            builder.Append('}');
            return;
        }

        // Required exactly when the generated reader requires it: constructor parameters with no default that are not
        // nullable, and `required` properties.
        var requiredParameters = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        if (type is INamedTypeSymbol namedType && ToolTypeSupport.ChooseConstructor(namedType) is { } constructor)
        {
            foreach (var parameter in constructor.Parameters)
            {
                if (ToolTypeSupport.IsRequiredConstructorParameter(parameter))
                {
                    requiredParameters.Add(parameter.Name);
                }
            }
        }

        StartObject(description);
        foreach (var property in ToolTypeSupport.SettableProperties(type))
        {
            StartProperty(ToolTypeSupport.CamelCase(property.Name), property.IsRequired || requiredParameters.Contains(property.Name));
            WriteType(property.Type, ToolTypeSupport.DescriptionOf(property));
        }

        EndObject();
    }

    public override string ToString() => builder.ToString();

    private bool TryWriteScalar(ITypeSymbol type, string? description)
    {
        string? body = null;
        if (type.TypeKind == TypeKind.Enum)
        {
            builder.Append('{');
            WriteDescription(description);
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

                    WriteString(field.Name);
                    first = false;
                }
            }

            builder.Append("]}");
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_String:
                body = "\"type\":\"string\"";
                break;
            case SpecialType.System_Boolean:
                body = "\"type\":\"boolean\"";
                break;
            case SpecialType.System_Int32 or SpecialType.System_Int64:
                body = "\"type\":\"integer\"";
                break;
            case SpecialType.System_Byte or SpecialType.System_SByte or SpecialType.System_Int16 or SpecialType.System_UInt16 or SpecialType.System_UInt32 or SpecialType.System_UInt64:
                // The range is part of the contract: the reader rejects what does not fit.
                var (min, max) = IntegerRange(type.SpecialType);
                body = "\"type\":\"integer\",\"minimum\":" + min + ",\"maximum\":" + max;
                break;
            case SpecialType.System_Char:
                body = "\"type\":\"string\",\"minLength\":1,\"maxLength\":1";
                break;
            case SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal:
                body = "\"type\":\"number\"";
                break;
            case SpecialType.System_DateTime:
                body = "\"type\":\"string\",\"format\":\"date-time\"";
                break;
            default:
                body = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) switch
                {
                    "System.Guid" => "\"type\":\"string\",\"format\":\"uuid\"",
                    "System.DateTimeOffset" => "\"type\":\"string\",\"format\":\"date-time\"",
                    "System.TimeSpan" => "\"type\":\"string\",\"pattern\":\"^-?(\\\\d+\\\\.)?\\\\d{1,2}:\\\\d{2}(:\\\\d{2}(\\\\.\\\\d+)?)?$\"",
                    _ => null,
                };
                break;
        }

        if (body is null)
        {
            return false;
        }

        builder.Append('{');
        WriteDescription(description);
        builder.Append(body).Append('}');
        return true;
    }

    private void WriteDescription(string? description)
    {
        if (!string.IsNullOrEmpty(description))
        {
            builder.Append("\"description\":");
            WriteString(description!);
            builder.Append(',');
        }
    }

    /// <summary>Writes <paramref name="value"/> as a JSON string literal.</summary>
    private void WriteString(string value)
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
                        builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
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

    private sealed class ObjectState
    {
        public bool HasProperty { get; set; }

        public List<string> Required { get; } = new();
    }
}
