namespace AgentGuard.Analyzers.Generator;

/// <summary>The agent's typed ledger: what a run cost, with a counter per tool.</summary>
internal static partial class AgentEmitter
{
    private static void EmitLedger(IndentedTextWriter w, AgentSpec agent)
    {
        var name = agent.ClassName;
        w.WriteLine($"/// <summary>What a run of {Xml(name)} cost, with a counter set per tool.</summary>");
        w.WriteLine(GeneratedCode);
        using (w.WriteBlock($"public {New(agent, name + "Ledger")}sealed class {name}Ledger : {Runtime}CostLedger"))
        {
            w.WriteLine("/// <summary>Calls, cache hits, failures and time of each tool.</summary>");
            w.WriteLine($"public {name}ToolCounters Tools {{ get; }} = new {name}ToolCounters();");
            w.WriteLine();
            w.WriteLine("/// <inheritdoc/>");
            using (w.WriteBlock($"protected override {Runtime}ToolCounter? GetToolCounter(string toolName)"))
            {
                using (w.WriteBlock("switch (toolName)"))
                {
                    foreach (var tool in agent.Tools)
                    {
                        w.WriteLine($"case {Literal(tool.ToolName)}:");
                        w.WriteLine($"    return this.Tools.{tool.PropertyName};");
                    }

                    w.WriteLine("default:");
                    w.WriteLine("    return null;");
                }
            }
        }

        w.WriteLine();
        w.WriteLine($"/// <summary>The counters of each tool of {Xml(name)}.</summary>");
        w.WriteLine(GeneratedCode);
        using (w.WriteBlock($"public {New(agent, name + "ToolCounters")}sealed class {name}ToolCounters"))
        {
            foreach (var tool in agent.Tools)
            {
                w.WriteLine($"/// <summary>Tool <c>{Xml(tool.ToolName)}</c>.</summary>");
                w.WriteLine($"public {Runtime}ToolCounter {tool.PropertyName} {{ get; }} = new {Runtime}ToolCounter({Literal(tool.ToolName)});");
                w.WriteLine();
            }
        }
    }
}
