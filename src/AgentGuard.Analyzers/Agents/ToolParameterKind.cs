namespace AgentGuard.Analyzers.Agents;

/// <summary>How a tool parameter is read from the model's arguments.</summary>
internal enum ToolParameterKind
{
    String,
    Boolean,
    Int32,
    Int64,
    Byte,
    SByte,
    Int16,
    UInt16,
    UInt32,
    UInt64,
    Char,
    Double,
    Single,
    Decimal,
    Guid,
    DateTime,
    DateTimeOffset,
    TimeSpan,
    Enum,
    Json,
    CancellationToken,
}
