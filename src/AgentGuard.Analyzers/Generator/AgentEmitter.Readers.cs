using System.Collections.Generic;
using AgentGuard.Analyzers.Agents;

namespace AgentGuard.Analyzers.Generator;

/// <summary>The readers of the tools' own argument types: one reflection-free method per type, from the model's JSON.</summary>
internal static partial class AgentEmitter
{
    private static void EmitReader(IndentedTextWriter w, ReaderSpec reader)
    {
        w.WriteLine($"/// <summary>Reads a <c>{Xml(reader.TypeName.Replace("global::", string.Empty))}</c> from the model's JSON without reflection.</summary>");
        w.WriteLine(GeneratedCode);
        w.WriteLine($"private static bool ReadToolValue{reader.Key}(global::System.Text.Json.JsonElement element, out {reader.TypeName} value)");
        if (reader.Shape is ReaderShape.Array or ReaderShape.List)
        {
            EmitCollectionReaderBody(w, reader);
        }
        else
        {
            EmitObjectReaderBody(w, reader);
            w.WriteLine();
            EmitMemberNames(w, reader);
            return;
        }

        w.WriteLine();
    }

    private static void EmitCollectionReaderBody(IndentedTextWriter w, ReaderSpec reader)
    {
        var element = reader.Element!;
        var elementReader = ElementReader(element);
        var method = reader.Shape == ReaderShape.Array ? "TryReadArray" : "TryReadList";
        using (w.WriteBlock())
        {
            if (element.IsNullableValue)
            {
                w.WriteLine($"var ok = {Runtime}ToolArguments.{method}<{element.TypeName}?>(element, static (global::System.Text.Json.JsonElement item, out {element.TypeName}? itemValue) => {Runtime}ToolArguments.TryReadNullableValue(item, {elementReader}, out itemValue), out var items);");
            }
            else
            {
                w.WriteLine($"var ok = {Runtime}ToolArguments.{method}<{element.TypeName}>(element, {elementReader}, out var items);");
            }

            w.WriteLine("value = items;");
            w.WriteLine("return ok;");
        }
    }

    // The JSON names of a record's or class's members, once, as UTF-8 for the reader's exact match.
    private static void EmitMemberNames(IndentedTextWriter w, ReaderSpec reader)
    {
        w.WriteLine($"/// <summary>The JSON names of <c>{Xml(reader.TypeName.Replace("global::", string.Empty))}</c>'s members in UTF-8, in the order of the cases of its reader's switch.</summary>");
        w.WriteLine(GeneratedCode);
        using (w.WriteBlock("};", $"private static readonly byte[][] {MemberNamesField(reader)} = new byte[][]"))
        {
            foreach (var member in reader.Members)
            {
                w.WriteLine($"global::System.Text.Encoding.UTF8.GetBytes({Literal(member.JsonName)}),");
            }
        }

        w.WriteLine();
    }

    private static string MemberNamesField(ReaderSpec reader) => "ReadToolValue" + reader.Key + "Names";

    private static void EmitObjectReaderBody(IndentedTextWriter w, ReaderSpec reader)
    {
        // Three locals per member, prefixed apart: its property in the JSON, its value, and a nullable value's read.
        var locals = UniqueLocals("member", reader.Members, static m => m.Name);
        var jsonLocals = UniqueLocals("json", reader.Members, static m => m.Name);
        var readLocals = UniqueLocals("read", reader.Members, static m => m.Name);
        using (w.WriteBlock())
        {
            w.WriteLine("value = default!;");
            using (w.WriteBlock("if (element.ValueKind != global::System.Text.Json.JsonValueKind.Object)"))
            {
                w.WriteLine("return false;");
            }

            w.WriteLine();
            EmitMemberPass(w, reader, jsonLocals);
            w.WriteLine();

            var constructorArguments = new List<string>();
            var initializers = new List<string>();
            var later = new List<MemberSpec>();
            foreach (var member in reader.Members)
            {
                // Settable members, and a record's init-only ones (through `with`), are set only when present, so
                // the type's own initial values stay for the rest. A `required` one is always present, and the
                // compiler wants it in the object initializer.
                if (!member.Required && (member.Binding == MemberBinding.Set || (member.Binding == MemberBinding.Init && reader.IsRecord)))
                {
                    later.Add(member);
                    continue;
                }

                EmitMemberRead(w, member, locals[member.Name], jsonLocals[member.Name], readLocals[member.Name]);
                w.WriteLine();
                if (member.Binding == MemberBinding.Constructor)
                {
                    constructorArguments.Add(locals[member.Name]);
                }
                else
                {
                    initializers.Add(Id(member.Name) + " = " + locals[member.Name]);
                }
            }

            w.Write($"var result = new {reader.TypeName}({string.Join(", ", constructorArguments)})");
            if (initializers.Count > 0)
            {
                w.Write($" {{ {string.Join(", ", initializers)} }}");
            }

            w.WriteLine(";");
            foreach (var member in later)
            {
                EmitLaterMemberRead(w, member, locals[member.Name], jsonLocals[member.Name]);
                w.WriteLine();
            }

            w.WriteLine("value = result;");
            w.WriteLine("return true;");
        }
    }

    // One pass over the object's properties, each kept as the JsonElement of the member it names; values are read after.
    private static void EmitMemberPass(IndentedTextWriter w, ReaderSpec reader, Dictionary<string, string> jsonLocals)
    {
        foreach (var member in reader.Members)
        {
            w.WriteLine($"global::System.Text.Json.JsonElement {jsonLocals[member.Name]} = default;");
        }

        w.WriteLine();
        w.WriteLine("// One pass over the object: a property goes to the member whose JSON name it spells exactly (compared in");
        w.WriteLine("// UTF-8, nothing decoded; the index is the member's place in " + MemberNamesField(reader) + "), the last of");
        w.WriteLine("// repeated names winning. Unknown properties are skipped.");
        w.WriteLine("var next = 0;");
        using (w.WriteBlock("foreach (var property in element.EnumerateObject())"))
        {
            using (w.WriteBlock($"switch ({Runtime}ToolArguments.IndexOfName(property, {MemberNamesField(reader)}, ref next))"))
            {
                var index = 0;
                foreach (var member in reader.Members)
                {
                    w.WriteLine($"case {index++.ToString(System.Globalization.CultureInfo.InvariantCulture)}: // {member.JsonName}");
                    using (w.Indent())
                    {
                        w.WriteLine($"{jsonLocals[member.Name]} = property.Value;");
                        w.WriteLine("break;");
                    }
                }

                w.WriteLine("default:");
                using (w.Indent())
                {
                    w.WriteLine("// Not an exact name: the only place a name is decoded. Another casing of a member's name is taken while that");
                    w.WriteLine("// member has none yet (the first such wins, and an exact spelling later still replaces it).");
                    w.WriteLine("var name = property.Name;");
                    var first = true;
                    foreach (var member in reader.Members)
                    {
                        var json = jsonLocals[member.Name];
                        using (w.WriteBlock($"{(first ? string.Empty : "else ")}if ({json}.ValueKind == global::System.Text.Json.JsonValueKind.Undefined && string.Equals(name, {Literal(member.JsonName)}, global::System.StringComparison.OrdinalIgnoreCase))"))
                        {
                            w.WriteLine($"{json} = property.Value;");
                        }

                        first = false;
                    }

                    w.WriteLine();
                    w.WriteLine("break;");
                }
            }
        }
    }

    // Reads a constructor argument or initializer value into `local`: a missing or null property is the declared
    // default (or the type's), a required one fails; a value of the wrong shape fails.
    private static void EmitMemberRead(IndentedTextWriter w, MemberSpec member, string local, string json, string read)
    {
        var value = member.Value;
        var reader = ElementReader(value);
        var present = $"{Runtime}ToolArguments.HasValue({json})";
        if (member.Required)
        {
            // A required member is never a nullable value type without a value, so it reads straight into its local.
            using (w.WriteBlock($"if (!{present} || !{reader}({json}, out {value.TypeName}{(member.IsNullable && !value.IsNullableValue ? "?" : string.Empty)} {local}))"))
            {
                w.WriteLine("return false;");
            }

            return;
        }

        // `string x = null` is the user's own nullable mismatch: `default!` carries it through without a warning.
        var fallback = member.DefaultValueLiteral is null or "null" or "default" && !member.IsNullable
            ? "default!"
            : member.DefaultValueLiteral ?? "null";
        if (value.IsNullableValue)
        {
            w.WriteLine($"{value.TypeName}? {local} = {fallback};");
            using (w.WriteBlock($"if ({present})"))
            {
                using (w.WriteBlock($"if (!{reader}({json}, out {value.TypeName} {read}))"))
                {
                    w.WriteLine("return false;");
                }

                w.WriteLine($"{local} = {read};");
            }

            return;
        }

        w.WriteLine($"{value.TypeName}{(member.IsNullable ? "?" : string.Empty)} {local} = {fallback};");
        using (w.WriteBlock($"if ({present} && !{reader}({json}, out {local}))"))
        {
            w.WriteLine("return false;");
        }
    }

    // Sets an optional settable (or a record's init-only) member on the built value only when the model sent it.
    private static void EmitLaterMemberRead(IndentedTextWriter w, MemberSpec member, string local, string json)
    {
        var value = member.Value;
        var reader = ElementReader(value);
        var present = $"{Runtime}ToolArguments.HasValue({json})";
        var assignment = member.Binding == MemberBinding.Init
            ? $"result = result with {{ {Id(member.Name)} = {local} }};"
            : $"result.{Id(member.Name)} = {local};";
        using (w.WriteBlock($"if ({present})"))
        {
            using (w.WriteBlock($"if (!{reader}({json}, out {value.TypeName} {local}))"))
            {
                w.WriteLine("return false;");
            }

            w.WriteLine(assignment);
        }
    }

    // A method group that reads a JSON value of this kind: a runtime reader, or a generated one.
    private static string ElementReader(ValueSpec value)
        => value.Kind == ToolParameterKind.Json
            ? "ReadToolValue" + value.ReaderKey
            : Runtime + "ToolArguments." + ScalarReader(value.Kind, value.TypeName);

    private static string ScalarReader(ToolParameterKind kind, string typeName)
        => kind switch
        {
            ToolParameterKind.String => "TryReadString",
            ToolParameterKind.Boolean => "TryReadBoolean",
            ToolParameterKind.Int32 => "TryReadInt32",
            ToolParameterKind.Int64 => "TryReadInt64",
            ToolParameterKind.Byte => "TryReadByte",
            ToolParameterKind.SByte => "TryReadSByte",
            ToolParameterKind.Int16 => "TryReadInt16",
            ToolParameterKind.UInt16 => "TryReadUInt16",
            ToolParameterKind.UInt32 => "TryReadUInt32",
            ToolParameterKind.UInt64 => "TryReadUInt64",
            ToolParameterKind.Char => "TryReadChar",
            ToolParameterKind.Double => "TryReadDouble",
            ToolParameterKind.Single => "TryReadSingle",
            ToolParameterKind.Decimal => "TryReadDecimal",
            ToolParameterKind.Guid => "TryReadGuid",
            ToolParameterKind.DateTime => "TryReadDateTime",
            ToolParameterKind.DateTimeOffset => "TryReadDateTimeOffset",
            ToolParameterKind.TimeSpan => "TryReadTimeSpan",
            ToolParameterKind.Enum => "TryReadEnum<" + typeName + ">",
            _ => "TryReadString",
        };
}
