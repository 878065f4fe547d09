using AgentGuard.Analyzers.Agents;
namespace AgentGuard.Analyzers.Generator;

/// <summary>How a tool returns its result.</summary>
internal enum ToolReturnKind
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
}

/// <summary>A containing type of the agent class, outermost first.</summary>
internal sealed record ContainingTypeSpec(string Keyword, string Name);

/// <summary>One parameter of a tool, as the generated reader needs it.</summary>
internal sealed record ToolParameterSpec(
    string Name,
    string TypeName,
    ToolParameterKind Kind,
    bool IsNullableValue,
    bool IsOptional,
    string? DefaultValueLiteral,
    string ExpectedDescription,
    string? ReaderKey);

/// <summary>One [AgentTool] method.</summary>
internal sealed record ToolSpec(
    string ToolName,
    string MethodName,
    string PropertyName,
    string Description,
    bool IsStatic,
    bool Cacheable,
    int CacheTtlSeconds,
    ToolReturnKind ReturnKind,
    string JsonSchema,
    EquatableArray<ToolParameterSpec> Parameters,
    string Version);

/// <summary>Everything the emitter needs for one agent class: strings, numbers and arrays only.</summary>
internal sealed record AgentSpec(
    string? Namespace,
    EquatableArray<ContainingTypeSpec> ContainingTypes,
    string ClassName,
    string ClassKeyword,
    string FullyQualifiedName,
    string HintName,
    BudgetSpec Budget,
    string WorstCase,
    EquatableArray<ToolSpec> Tools,
    EquatableArray<ReaderSpec> Readers,
    EquatableArray<string> InheritedNames);

/// <summary>How a value is read: a scalar reader of the runtime, or a generated reader (<see cref="ReaderKey"/>).</summary>
internal sealed record ValueSpec(ToolParameterKind Kind, string TypeName, bool IsNullableValue, string? ReaderKey);

/// <summary>How a member of a record or class is set.</summary>
internal enum MemberBinding
{
    Constructor,
    Init,
    Set,
}

/// <summary>One member of a record or class read from a JSON object.</summary>
internal sealed record MemberSpec(string Name, string JsonName, ValueSpec Value, MemberBinding Binding, bool Required, bool IsNullable, string? DefaultValueLiteral = null);

/// <summary>The shape a generated reader builds.</summary>
internal enum ReaderShape
{
    Object,
    Array,
    List,
}

/// <summary>A generated, reflection-free reader of one record, class, array or list type.</summary>
internal sealed record ReaderSpec(string Key, string TypeName, ReaderShape Shape, ValueSpec? Element, EquatableArray<MemberSpec> Members, bool IsRecord = false);
