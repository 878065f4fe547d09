using Microsoft.CodeAnalysis;

namespace AgentGuard.Analyzers;

/// <summary>
/// The descriptor of every AgentGuard rule. Property names start with the rule ID so a search for the ID finds
/// the descriptor, the analyzer that reports it, its code fix, its tests and its doc page.
/// </summary>
public static class DiagnosticDescriptors
{
    /// <summary>Where the rule pages live; each descriptor's help link is this plus <c>{ID}.md</c>.</summary>
    public const string HelpLinkBase = "https://github.com/agentguard-dotnet/agentguard/blob/main/docs/rules/";

    private const string CostCategory = "AgentGuard.Cost";
    private const string UsageCategory = "AgentGuard.Usage";

    public static readonly DiagnosticDescriptor AG0001_UnboundedAgentLoop = Create(
        DiagnosticIds.UnboundedAgentLoop,
        title: "Agent loop has no step limit",
        messageFormat: "This loop calls a model and ends only when the model says so; bound it with a step counter, a budget check or a finite collection",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "A loop that reaches a model call and whose only exits depend on the model's output runs until someone notices the bill. Bound it by a counter compared with a limit, a budget or step check, a finite collection, or by waiting on a person or a queue each turn.");

    public static readonly DiagnosticDescriptor AG0001_UnboundedAgentRecursion = Create(
        DiagnosticIds.UnboundedAgentLoop,
        title: "Agent loop has no step limit",
        messageFormat: "'{0}' calls a model and calls itself with no depth argument that moves toward a limit; pass a depth and stop at a maximum",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "A method that calls a model and recurses without a depth limit is an agent loop with no step limit.");

    public static readonly DiagnosticDescriptor AG0001_UnboundedFunctionInvocation = Create(
        DiagnosticIds.UnboundedAgentLoop,
        title: "Agent loop has no step limit",
        messageFormat: "{0} allows {1} model round trips per request, more than the ceiling of {2}; set it to {2} or less",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "FunctionInvokingChatClient and Anthropic's tool runner loop model call → tool call → model call until the model stops calling tools or the iteration cap is reached, and an Agent Framework group chat hands the turn from agent to agent until its manager's MaximumIterationCount; a missing or effectively unlimited cap is an unbounded agent loop. The ceiling is AG0001.max_iterations (default 50).");

    public static readonly DiagnosticDescriptor AG0002_MissingOutputTokenCap = Create(
        DiagnosticIds.MissingOutputTokenCap,
        title: "Model call without an output-token cap",
        messageFormat: "This model call sends no output-token cap; set {0} so one step cannot produce an unbounded, billed answer",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "Output tokens cost three to five times input tokens, and a step with no cap produces as much as the model's limit allows. Set the cap on the options of the call or on the client pipeline.");

    public static readonly DiagnosticDescriptor AG0003_VariableContentBeforeCacheablePrefix = Create(
        DiagnosticIds.VariableContentBeforeCacheablePrefix,
        title: "Variable content before a cacheable prompt prefix",
        messageFormat: "{0} comes before {1}, so every call misses the provider's prompt cache; {2}",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "Provider prompt caches match the longest exact prefix of a request and bill it at about a tenth of the input price. Text that changes from call to call placed ahead of stable text makes every call pay the full price for all of it.");

    public static readonly DiagnosticDescriptor AG0004_SideEffectingCacheableTool = Create(
        DiagnosticIds.SideEffectingCacheableTool,
        title: "Side-effecting tool marked cacheable",
        messageFormat: "Tool '{0}' is marked Cacheable but {1}; a cached call silently skips that effect — remove Cacheable = true",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "A cached tool call returns the stored result without running the method. For a tool that writes, sends, charges or changes state, the second call's effect is silently lost.");

    public static readonly DiagnosticDescriptor AG0005_UnboundedHistory = Create(
        DiagnosticIds.UnboundedHistory,
        title: "Conversation history grows without bound",
        messageFormat: "'{0}' is sent to the model on every iteration and only grows; trim it to the system message and the most recent messages",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "Every step resends the whole history, so a history that only grows makes the cost of a run quadratic in its number of steps.");

    public static readonly DiagnosticDescriptor AG0006_UnboundedRetry = Create(
        DiagnosticIds.UnboundedRetry,
        title: "Model call retried without an attempt limit",
        messageFormat: "{0} retries the model call after every failure with no attempt limit; count attempts and give up when they are spent",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "A retry-forever loop around a model call turns a provider outage, a rate limit or a bad request into a bill and a hung task.");

    public static readonly DiagnosticDescriptor AG0007_GuardOutsideFunctionInvocation = Create(
        DiagnosticIds.GuardOutsideFunctionInvocation,
        title: "Budget guard placed outside function invocation",
        messageFormat: "UseAgentGuard comes before {0}, so the guard wraps the tool loop: it would see one request for all the model round trips under it, and it refuses every request at run time; move UseAgentGuard after {0}",
        CostCategory,
        DiagnosticSeverity.Warning,
        description: "In a ChatClientBuilder the first Use is the outermost client. A budget guard added before UseFunctionInvocation sits outside the FunctionInvokingChatClient, which makes up to MaximumIterationsPerRequest (40 by default) model round trips for each request it receives; the guard would price and limit only the first. The runtime refuses such a pipeline on its first request. Add the guard after UseFunctionInvocation so every round trip passes through it.");

    public static readonly DiagnosticDescriptor AG1001_AgentClassNotPartial = Create(
        DiagnosticIds.AgentClassNotPartial,
        title: "Agent class must be partial",
        messageFormat: "'{0}' declares agent tools or a budget but {1}; AgentGuard adds its tools and RunAsync only to a partial, non-static, non-generic class whose containing types are partial",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "The generator adds the tools, the bounded RunAsync loop and the typed ledger to the agent class itself, which requires the class and every containing type to be partial, and the class to be an instantiable, non-generic type.");

    public static readonly DiagnosticDescriptor AG1002_UnsupportedToolSignature = Create(
        DiagnosticIds.UnsupportedToolSignature,
        title: "Agent tool has an unsupported signature",
        messageFormat: "Tool method '{0}' {1}; a tool cannot be generic or async void, or take ref, out, in or pointer parameters",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "Tool arguments arrive as JSON from the model; they can only be bound to plain value parameters of a non-generic method.");

    public static readonly DiagnosticDescriptor AG1003_UnsupportedToolParameterType = Create(
        DiagnosticIds.UnsupportedToolParameterType,
        title: "Agent tool parameter type is not supported",
        messageFormat: "Parameter '{0}' of tool '{1}' has type '{2}', which cannot be described to the model or read from its arguments",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "Supported parameter types are primitives, string, decimal, enums, DateTime, DateTimeOffset, Guid, TimeSpan, their nullable forms, arrays and lists of these, and records or classes with public settable properties of these.");

    public static readonly DiagnosticDescriptor AG1004_DuplicateToolName = Create(
        DiagnosticIds.DuplicateToolName,
        title: "Two agent tools have the same name",
        messageFormat: "Tool name '{0}' is used by more than one method of '{1}'; the model could not tell them apart — set AgentTool.Name on one of them",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "The model calls a tool by name. Tool names must be unique within an agent; an 'Async' suffix is removed before comparing.");

    public static readonly DiagnosticDescriptor AG1005_BudgetWithoutLimit = Create(
        DiagnosticIds.BudgetWithoutLimit,
        title: "Budget sets neither a cost limit nor a step limit",
        messageFormat: "[Budget] on '{0}' sets neither HardLimitUsd nor MaxSteps, so nothing stops a run; set at least one",
        UsageCategory,
        DiagnosticSeverity.Warning,
        description: "A budget that does not bound the number of model calls or the money spent does not bound the run.");

    public static readonly DiagnosticDescriptor AG1006_SoftLimitNotBelowHardLimit = Create(
        DiagnosticIds.SoftLimitNotBelowHardLimit,
        title: "Soft limit is not below the hard limit",
        messageFormat: "SoftLimitUsd ({0}) is not below HardLimitUsd ({1}) on '{2}'; the runtime rejects such a budget, so AgentGuard generates nothing for this agent — lower the soft limit",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "The soft limit alerts and switches to a cheaper model while the run goes on; it only works below the hard limit. The runtime's BudgetPolicy.Validate rejects a soft limit at or above the hard limit, so the generator emits nothing for such an agent.");

    public static readonly DiagnosticDescriptor AG1007_BudgetWithoutOutputCap = Create(
        DiagnosticIds.BudgetWithoutOutputCap,
        title: "Budget sets no output-token cap per step",
        messageFormat: "[Budget] on '{0}' sets no MaxOutputTokensPerStep, so every step may produce as many output tokens as the model allows; set one",
        UsageCategory,
        DiagnosticSeverity.Warning,
        description: "The per-step output cap is sent with every request of the generated loop and bounds the worst-case cost of a step.");

    public static readonly DiagnosticDescriptor AG1008_FallbackModelWithoutSoftLimit = Create(
        DiagnosticIds.FallbackModelWithoutSoftLimit,
        title: "Fallback model without a soft limit",
        messageFormat: "[Budget] on '{0}' names FallbackModelId '{1}' but sets no SoftLimitUsd, so the fallback is never used; set a soft limit",
        UsageCategory,
        DiagnosticSeverity.Warning,
        description: "The run switches to the fallback model once its spend passes the soft limit; without one the fallback is dead configuration.");

    public static readonly DiagnosticDescriptor AG1009_AgentToolWithoutBudget = Create(
        DiagnosticIds.AgentToolWithoutBudget,
        title: "Agent tools without a budget",
        messageFormat: "'{0}' declares agent tools but no [Budget], so AgentGuard generates no tools or bounded RunAsync for it; declare a [Budget] with its limits",
        UsageCategory,
        DiagnosticSeverity.Warning,
        description: "A budget declared on the agent class becomes the generated loop's limits; the generator builds agents only for classes that declare one, so a limit can never be forgotten.");

    public static readonly DiagnosticDescriptor AG1010_WorstCaseCost = Create(
        DiagnosticIds.WorstCaseCost,
        title: "Worst-case cost of an agent run",
        messageFormat: "One run of '{0}' costs at most {1} with the default prices of {2}: {3}",
        UsageCategory,
        DiagnosticSeverity.Info,
        description: "The most one run can cost given the budget's caps and the list prices AgentGuard ships, so a reviewer sees the bound in the pull request.");

    public static readonly DiagnosticDescriptor AG1011_LanguageVersionTooLow = Create(
        DiagnosticIds.LanguageVersionTooLow,
        title: "Agents need C# 9 or later",
        messageFormat: "'{0}' is an agent, but this project compiles C# {1}; AgentGuard generates agents only for C# 9 or later — set <LangVersion>9.0</LangVersion> or later",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "The generated tools, readers and loop use C# 9 features. A project on an older language version (netstandard2.0 libraries default to C# 7.3) gets no generated code.");

    public static readonly DiagnosticDescriptor AG1012_BudgetValueOutOfRange = Create(
        DiagnosticIds.BudgetValueOutOfRange,
        title: "Budget value is out of range",
        messageFormat: "{0} = {1} on '{2}' is not a limit AgentGuard can enforce: counts must be 0 (not set) or more, dollar amounts a finite number from 0 to 1e12; AgentGuard generates nothing for this agent until it is fixed",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "A negative count, a negative, infinite or NaN dollar amount, or one beyond any real budget cannot be enforced: the runtime rejects it, and the generated budget is built when the agent type is first used, where a rejected value would fail the whole type. The generator emits nothing for such an agent.");

    public static readonly DiagnosticDescriptor AG1013_AgentMemberNameClash = Create(
        DiagnosticIds.AgentMemberNameClash,
        title: "Agent declares a member the generator adds",
        messageFormat: "'{0}' declares '{1}', a name AgentGuard generates for the agent; rename it — AgentGuard generates nothing for this agent until then",
        UsageCategory,
        DiagnosticSeverity.Error,
        description: "The generator adds RunAsync, AgentTools, AgentBudget, AgentWorstCaseCost, the typed ledger and counter classes, and private members named after each tool. A member of the agent with one of those names would make the generated code fail to compile, so the generator emits nothing and this error names the member.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description)
        => new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md");
}
