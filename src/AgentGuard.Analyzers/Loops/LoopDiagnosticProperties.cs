namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// Keys of the <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> the loop rules set, so their code fixes
/// (which cannot read <c>.editorconfig</c> themselves) insert the configured limits.
/// </summary>
internal static class LoopDiagnosticProperties
{
    /// <summary>What was found; one of the <c>Kind…</c> values.</summary>
    public const string Kind = "Kind";

    /// <summary>The configured limit the fix inserts (steps, iterations, messages or attempts).</summary>
    public const string Limit = "Limit";

    /// <summary>For AG0005: how the history is trimmed; one of the <c>History…</c> values.</summary>
    public const string HistoryKind = "HistoryKind";

    public const string KindLoop = "Loop";
    public const string KindGotoLoop = "GotoLoop";
    public const string KindRecursion = "Recursion";
    public const string KindFunctionInvocation = "FunctionInvocation";
    public const string KindToolRunner = "ToolRunner";
    public const string KindPollyMaxRetryAttempts = "PollyMaxRetryAttempts";
    public const string KindPollyRetryForever = "PollyRetryForever";

    /// <summary>A list of Microsoft.Extensions.AI <c>ChatMessage</c>: trimmed with AgentGuard's <c>TrimToRecent</c>.</summary>
    public const string HistoryChatMessageList = "ChatMessageList";

    /// <summary>Semantic Kernel <c>ChatHistory</c> (or a list of <c>ChatMessageContent</c>): trimmed inline, keeping <c>AuthorRole.System</c> messages in front.</summary>
    public const string HistorySemanticKernel = "SemanticKernel";

    /// <summary>A list of OpenAI SDK messages: trimmed inline, keeping <c>SystemChatMessage</c>s in front.</summary>
    public const string HistoryOpenAI = "OpenAI";

    /// <summary>Any other list: trimmed inline, keeping index 0.</summary>
    public const string HistoryOtherList = "OtherList";
}
