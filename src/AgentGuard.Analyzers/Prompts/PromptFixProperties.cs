namespace AgentGuard.Analyzers.Prompts;

/// <summary>
/// The diagnostic properties AG0003 hands its code fix: which edit fixes the diagnostic and what the edit needs.
/// A diagnostic without <see cref="Fix"/> has no fix.
/// </summary>
internal static class PromptFixProperties
{
    /// <summary>Which edit fixes the diagnostic: one of the <c>Fix…</c> values.</summary>
    public const string Fix = "Fix";

    /// <summary>For <see cref="FixReorderElements"/>: the indices of the stable elements, comma-separated, ascending.</summary>
    public const string StableElements = "StableElements";

    /// <summary>For <see cref="FixInsertAfterPrefix"/>: the index just after the stable prefix of the history.</summary>
    public const string Index = "Index";

    /// <summary>
    /// Rewrite the prompt expression at the additional location (an interpolated string, a concatenation, a
    /// <c>string.Format</c> call) as an interpolated string with its variable lines or sentences last.
    /// </summary>
    public const string FixReorderText = "ReorderText";

    /// <summary>Move the appends with variable text of the <c>StringBuilder</c> declared at the additional location after the stable ones.</summary>
    public const string FixReorderAppends = "ReorderAppends";

    /// <summary>Move the stable elements (<see cref="StableElements"/>) of the collection at the additional location first.</summary>
    public const string FixReorderElements = "ReorderElements";

    /// <summary>Change the index of the <c>Insert</c> call at the diagnostic's location to <see cref="Index"/>.</summary>
    public const string FixInsertAfterPrefix = "InsertAfterPrefix";

    /// <summary>Order the tool list at the diagnostic's location by tool name.</summary>
    public const string FixOrderTools = "OrderTools";

    /// <summary>Rewrite the Semantic Kernel prompt template literal at the additional location with its variable lines or sentences last.</summary>
    public const string FixReorderTemplate = "ReorderTemplate";
}
