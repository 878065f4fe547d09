namespace AgentGuard.Analyzers;

/// <summary>
/// Every diagnostic ID AgentGuard reports, one constant per rule.
/// </summary>
/// <remarks>
/// Ranges:
/// <list type="bullet">
/// <item><c>AG0001</c>–<c>AG0099</c>: cost rules on user code (loops, call sites, prompts, tools).</item>
/// <item><c>AG1001</c>–<c>AG1099</c>: misuse of <c>[AgentTool]</c> and <c>[Budget]</c>, and what the generator reports about an agent.</item>
/// </list>
/// An ID is never reused for another rule once it has shipped.
/// </remarks>
public static class DiagnosticIds
{
    public const string UnboundedAgentLoop = "AG0001";
    public const string MissingOutputTokenCap = "AG0002";
    public const string VariableContentBeforeCacheablePrefix = "AG0003";
    public const string SideEffectingCacheableTool = "AG0004";
    public const string UnboundedHistory = "AG0005";
    public const string UnboundedRetry = "AG0006";
    public const string GuardOutsideFunctionInvocation = "AG0007";

    public const string AgentClassNotPartial = "AG1001";
    public const string UnsupportedToolSignature = "AG1002";
    public const string UnsupportedToolParameterType = "AG1003";
    public const string DuplicateToolName = "AG1004";
    public const string BudgetWithoutLimit = "AG1005";
    public const string SoftLimitNotBelowHardLimit = "AG1006";
    public const string BudgetWithoutOutputCap = "AG1007";
    public const string FallbackModelWithoutSoftLimit = "AG1008";
    public const string AgentToolWithoutBudget = "AG1009";
    public const string WorstCaseCost = "AG1010";
    public const string LanguageVersionTooLow = "AG1011";
    public const string BudgetValueOutOfRange = "AG1012";
    public const string AgentMemberNameClash = "AG1013";
}
