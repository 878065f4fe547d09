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

    private static void EmitObjectReaderBody(IndentedTextWriter w, ReaderSpec reader)
    {
        using (w.WriteBlock())
        {
            w.WriteLine("value = default!;");
            using (w.WriteBlock("if (element.ValueKind != global::System.Text.Json.JsonValueKind.Object)"))
            {
                w.WriteLine("return false;");
            }

            w.WriteLine();
            var constructorArguments = new List<string>();
            var initializers = new List<string>();
            var later = new List<MemberSpec>();
            var locals = UniqueLocals("member", reader.Members, static m => m.Name);
            foreach (var member in reader.Members)
            {
                // Settable members, and a record's init-only ones (through `with`), are set only when present, so
                // the type's own initial values stay for the rest.
                if (member.Binding == MemberBinding.Set || (member.Binding == MemberBinding.Init && reader.IsRecord))
                {
                    later.Add(member);
                    continue;
                }

                var local = locals[member.Name];
                if (member.DefaultValueLiteral is { } defaultValue)
                {
                    // A constructor parameter with a declared default keeps it when the model leaves it out.
                    w.WriteLine($"var {local}State = {ReadMemberCall(member, local)};");
                    using (w.WriteBlock($"if ({local}State == {Runtime}MemberRead.Invalid)"))
                    {
                        w.WriteLine("return false;");
                    }

                    using (w.WriteBlock($"if ({local}State == {Runtime}MemberRead.Missing)"))
                    {
                        w.WriteLine($"{local} = {defaultValue};");
                    }
                }
                else
                {
                    var test = member.Required ? $" != {Runtime}MemberRead.Read" : $" == {Runtime}MemberRead.Invalid";
                    using (w.WriteBlock($"if ({ReadMemberCall(member, local)}{test})"))
                    {
                        w.WriteLine("return false;");
                    }
                }

                w.WriteLine();
                if (member.Binding == MemberBinding.Constructor)
                {
                    constructorArguments.Add(local);
                }
                else
                {
                    initializers.Add(Id(member.Name) + " = " + local);
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
                var local = locals[member.Name];
                var state = local + "State";
                w.WriteLine($"var {state} = {ReadMemberCall(member, local)};");
                var missing = member.Required ? $" || {state} == {Runtime}MemberRead.Missing" : string.Empty;
                using (w.WriteBlock($"if ({state} == {Runtime}MemberRead.Invalid{missing})"))
                {
                    w.WriteLine("return false;");
                }

                using (w.WriteBlock($"if ({state} == {Runtime}MemberRead.Read)"))
                {
                    if (member.Binding == MemberBinding.Init)
                    {
                        w.WriteLine($"result = result with {{ {Id(member.Name)} = {local} }};");
                    }
                    else
                    {
                        w.WriteLine($"result.{Id(member.Name)} = {local};");
                    }
                }

                w.WriteLine();
            }

            w.WriteLine("value = result;");
            w.WriteLine("return true;");
        }
    }

    private static string ReadMemberCall(MemberSpec member, string local)
    {
        var value = member.Value;
        var reader = ElementReader(value);
        var type = value.TypeName + (value.IsNullableValue || member.IsNullable ? "?" : string.Empty);
        var method = value.IsNullableValue ? "ReadNullableMember" : "ReadMember";
        return $"{Runtime}ToolArguments.{method}(element, {Literal(member.JsonName)}, {reader}, out {type} {local})";
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
