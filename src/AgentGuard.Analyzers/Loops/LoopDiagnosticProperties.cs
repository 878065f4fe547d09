using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers.Loops;

/// <summary>
/// The <see cref="Diagnostic.Properties"/> the loop rules set, so their code fixes (which cannot read
/// <c>.editorconfig</c> themselves) insert the configured limits. The one place that builds them (analyzers) and
/// reads them (code fixes).
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

    /// <summary>
    /// An Agent Framework session: the agent keeps the history; the fix caps what each request carries, on the client
    /// the agent is built on (the diagnostic's additional location).
    /// </summary>
    public const string HistoryAgentSession = "AgentSession";

    /// <summary>The properties of a loop-rule diagnostic: its kind (if any), its limit, and for AG0005 how to trim.</summary>
    public static ImmutableDictionary<string, string?> Create(string? kind, int limit, string? historyKind = null)
    {
        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(Limit, limit.ToString(CultureInfo.InvariantCulture));
        if (kind is not null)
        {
            properties = properties.Add(Kind, kind);
        }

        if (historyKind is not null)
        {
            properties = properties.Add(HistoryKind, historyKind);
        }

        return properties;
    }

    /// <summary>The <see cref="Kind"/> of a diagnostic, or <see langword="null"/>.</summary>
    public static string? GetKind(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(Kind, out var kind) ? kind : null;

    /// <summary>The <see cref="HistoryKind"/> of a diagnostic, or <see langword="null"/>.</summary>
    public static string? GetHistoryKind(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(HistoryKind, out var kind) ? kind : null;

    /// <summary>The positive <see cref="Limit"/> of a diagnostic, or <paramref name="defaultValue"/>.</summary>
    public static int GetLimit(Diagnostic diagnostic, int defaultValue)
        => diagnostic.Properties.TryGetValue(Limit, out var raw)
            && int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            && value > 0
                ? value
                : defaultValue;
}
