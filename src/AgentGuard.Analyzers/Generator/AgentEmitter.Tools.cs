using System.Collections.Generic;
using AgentGuard.Analyzers.Agents;

namespace AgentGuard.Analyzers.Generator;

/// <summary>The agent's tools: their schemas, the <c>AIFunction</c> list, and one method per tool that reads the model's arguments and calls it.</summary>
internal static partial class AgentEmitter
{
    private static void EmitTools(IndentedTextWriter w, AgentSpec agent)
    {
        foreach (var tool in agent.Tools)
        {
            w.WriteLine($"private static {New(agent, tool.PropertyName + "ToolSchema")}readonly global::System.Text.Json.JsonElement {tool.PropertyName}ToolSchema = {Runtime}AgentToolFunction.ParseSchema(");
            w.WriteLine($"    {Literal(tool.JsonSchema)});");
            w.WriteLine();
        }

        w.WriteLine($"private {New(agent, "agentTools")}{Runtime}AgentToolFunction[]? agentTools;");
        w.WriteLine();
        w.WriteLine("/// <summary>");
        w.WriteLine("/// This agent's tools as reflection-free <see cref=\"global::Microsoft.Extensions.AI.AIFunction\"/>s with compile-time JSON schemas,");
        w.WriteLine("/// for <see cref=\"RunAsync\"/> or any <c>ChatOptions.Tools</c>.");
        w.WriteLine("/// </summary>");
        w.WriteLine(GeneratedCode);
        w.WriteLine($"public {New(agent, "AgentTools")}global::System.Collections.Generic.IList<global::Microsoft.Extensions.AI.AITool> AgentTools => this.AgentToolFunctions;");
        w.WriteLine();
        using (w.WriteBlock("};", $"private {New(agent, "AgentToolFunctions")}{Runtime}AgentToolFunction[] AgentToolFunctions => this.agentTools ??= new {Runtime}AgentToolFunction[]"))
        {
            foreach (var tool in agent.Tools)
            {
                w.WriteLine($"new {Runtime}AgentToolFunction({Literal(tool.ToolName)}, {Literal(tool.Description)}, {tool.PropertyName}ToolSchema, this.Invoke{tool.PropertyName}ToolAsync, {Literal(tool.Version)}),");
            }
        }

        w.WriteLine();
    }

    private static void EmitTool(IndentedTextWriter w, AgentSpec agent, ToolSpec tool)
    {
        var isAsync = tool.ReturnKind is ToolReturnKind.Task or ToolReturnKind.TaskOfT or ToolReturnKind.ValueTask or ToolReturnKind.ValueTaskOfT;
        var asyncBody = isAsync || tool.Cacheable;
        w.WriteLine($"/// <summary>Tool <c>{Xml(tool.ToolName)}</c>: reads the model's arguments and calls <see cref=\"{Id(tool.MethodName)}\"/>{(tool.Cacheable ? " through the run's tool-result cache" : string.Empty)}.</summary>");
        w.WriteLine(GeneratedCode);
        using (w.WriteBlock($"private {New(agent, "Invoke" + tool.PropertyName + "ToolAsync")}{(asyncBody ? "async " : string.Empty)}{ValueTaskOfOutcome} Invoke{tool.PropertyName}ToolAsync({Arguments} arguments, {Runtime}ToolResultCache? cache, global::System.Threading.CancellationToken cancellationToken)"))
        {
            var hasArguments = false;
            var locals = UniqueLocals("arg", tool.Parameters, static p => p.Name);
            foreach (var p in tool.Parameters)
            {
                if (p.Kind == ToolParameterKind.CancellationToken)
                {
                    continue;
                }

                if (!hasArguments)
                {
                    w.WriteLine("string? error;");
                    hasArguments = true;
                }

                EmitRead(w, tool, p, locals[p.Name], asyncBody);
                w.WriteLine();
            }

            var target = tool.IsStatic ? Id(agent.ClassName) : "this";
            if (tool.Cacheable)
            {
                using (w.WriteBlock("if (cache is not null)"))
                {
                    // The key names the agent too: two agents sharing a cache may each have a tool of this name.
                    // The version changes with the tool's signature (or its declared Version), so old results are not reused.
                    var key = Literal(agent.FullyQualifiedName.Replace("global::", string.Empty) + "/" + tool.ToolName);
                    var ttl = tool.CacheTtlSeconds > 0 ? $"global::System.TimeSpan.FromSeconds({tool.CacheTtlSeconds})" : "null";
                    w.WriteLine($"var cached = await cache.GetOrRunAsync({key}, {Literal(tool.Version)}, arguments, {ttl}, {(isAsync ? "async " : string.Empty)}token =>");
                    w.WriteLine("{");
                    using (w.Indent())
                    {
                        if (isAsync)
                        {
                            EmitInvocation(w, tool, Call(tool, target, locals, "token"), "return ", ";");
                        }
                        else
                        {
                            EmitInvocation(w, tool, Call(tool, target, locals, "cancellationToken"), "return new global::System.Threading.Tasks.ValueTask<object?>(", ");", nothing: "(object?)null");
                        }
                    }

                    w.WriteLine("}, cancellationToken).ConfigureAwait(false);");
                    w.WriteLine($"return {Outcome}.Success(cached.Value, cached.CacheHit);");
                }

                w.WriteLine();
            }

            var call = Call(tool, target, locals, "cancellationToken");
            if (asyncBody)
            {
                EmitInvocation(w, tool, call, $"return {Outcome}.Success(", ");");
            }
            else
            {
                EmitInvocation(w, tool, call, $"return new {ValueTaskOfOutcome}({Outcome}.Success(", "));");
            }
        }

        w.WriteLine();
    }

    // The call of the tool method, its cancellation token parameter given `token` (the variable in scope there).
    private static string Call(ToolSpec tool, string target, Dictionary<string, string> locals, string token)
    {
        var args = new List<string>(tool.Parameters.Length);
        foreach (var p in tool.Parameters)
        {
            args.Add(p.Kind == ToolParameterKind.CancellationToken ? token : locals[p.Name]);
        }

        return target + "." + Id(tool.MethodName) + "(" + string.Join(", ", args) + ")";
    }

    // Reads one argument into a local; a missing or malformed argument returns an error for the model.
    private static void EmitRead(IndentedTextWriter w, ToolSpec tool, ToolParameterSpec p, string local, bool asyncBody)
    {
        var valueType = p.TypeName.TrimEnd('?');
        var head = $"{Literal(tool.ToolName)}, {Literal(p.Name)}, {Literal(p.ExpectedDescription)}";
        var output = $"out {p.TypeName} {local}, out error";
        if (p.Kind == ToolParameterKind.Json)
        {
            var reader = "ReadToolValue" + p.ReaderKey;
            if (p.IsOptional)
            {
                w.Write($"if (!{Runtime}ToolArguments.TryReadOptionalElement(arguments, {head}, {reader}, {Fallback(p)}, {output}))");
            }
            else
            {
                w.Write($"if (!{Runtime}ToolArguments.TryReadElement(arguments, {head}, {reader}, {output}))");
            }
        }
        else
        {
            var reader = Runtime + "ToolArguments." + ScalarReader(p.Kind, valueType);
            if (p.IsNullableValue)
            {
                w.Write($"if (!{Runtime}ToolArguments.TryReadNullable(arguments, {head}, {reader}, {p.DefaultValueLiteral ?? "null"}, {output}))");
            }
            else if (p.IsOptional)
            {
                w.Write($"if (!{Runtime}ToolArguments.TryReadOptional(arguments, {head}, {reader}, {Fallback(p)}, {output}))");
            }
            else
            {
                w.Write($"if (!{Runtime}ToolArguments.TryRead(arguments, {head}, {reader}, {output}))");
            }
        }

        using (w.WriteBlock())
        {
            if (asyncBody)
            {
                w.WriteLine($"return {Outcome}.Failure(error!);");
            }
            else
            {
                w.WriteLine($"return new {ValueTaskOfOutcome}({Outcome}.Failure(error!));");
            }
        }
    }

    // Calls the tool and hands its result on, for each return shape: `prefix + value + suffix` returns it.
    // `nothing` is what a void tool returns: `new ValueTask<object?>(null)` would pick the Task<T> constructor and throw.
    private static void EmitInvocation(IndentedTextWriter w, ToolSpec tool, string call, string prefix, string suffix, string nothing = "null")
    {
        switch (tool.ReturnKind)
        {
            case ToolReturnKind.Void:
                w.WriteLine($"{call};");
                w.WriteLine($"{prefix}{nothing}{suffix}");
                break;
            case ToolReturnKind.Task or ToolReturnKind.ValueTask:
                w.WriteLine($"await {call}.ConfigureAwait(false);");
                w.WriteLine($"{prefix}null{suffix}");
                break;
            case ToolReturnKind.TaskOfT or ToolReturnKind.ValueTaskOfT:
                w.WriteLine($"{prefix}(object?)await {call}.ConfigureAwait(false){suffix}");
                break;
            default:
                w.WriteLine($"{prefix}(object?){call}{suffix}");
                break;
        }
    }

    // The value an optional parameter takes when the model leaves it out. `string x = null` is the user's own
    // nullable mismatch: `default!` carries it through without a warning in generated code.
    private static string Fallback(ToolParameterSpec p)
        => p.DefaultValueLiteral is null or "default" && !p.TypeName.EndsWith("?", System.StringComparison.Ordinal)
            ? "default!"
            : p.DefaultValueLiteral ?? "default";
}
