using System;
using System.Threading;

namespace AgentGuard;

/// <summary>
/// Who a request is for — user, tenant, session — for the shared budgets that apply to it
/// (<see cref="SharedBudgetOptions"/>) and for attribution in telemetry. Ambient: set it once per request (a web
/// request, a queue message) and every model call in that async flow, through any guard or generated agent, is
/// charged to those scopes.
/// </summary>
public sealed class BudgetContext
{
    private static readonly AsyncLocal<BudgetContext?> CurrentContext = new();

    /// <summary>Creates a context.</summary>
    public BudgetContext(string? userId = null, string? tenantId = null, string? sessionId = null)
    {
        UserId = Blank(userId);
        TenantId = Blank(tenantId);
        SessionId = Blank(sessionId);
    }

    /// <summary>The user, for per-user budgets.</summary>
    public string? UserId { get; }

    /// <summary>The tenant, for per-tenant budgets and the <c>agentguard.tenant</c> telemetry tag.</summary>
    public string? TenantId { get; }

    /// <summary>The session or conversation, for per-session budgets.</summary>
    public string? SessionId { get; }

    /// <summary>The context of this async flow, if one was begun.</summary>
    public static BudgetContext? Current => CurrentContext.Value;

    /// <summary>Makes <paramref name="context"/> current in this async flow until the returned scope is disposed.</summary>
    public static IDisposable Begin(BudgetContext context)
    {
        var saved = CurrentContext.Value;
        CurrentContext.Value = context ?? throw new ArgumentNullException(nameof(context));
        return new GuardedRun.Scope(() => CurrentContext.Value = saved);
    }

    /// <summary>Makes a context for <paramref name="userId"/>, <paramref name="tenantId"/> and <paramref name="sessionId"/> current until disposed.</summary>
    public static IDisposable Begin(string? userId = null, string? tenantId = null, string? sessionId = null)
        => Begin(new BudgetContext(userId, tenantId, sessionId));

    /// <inheritdoc/>
    public override string ToString() => $"user {UserId ?? "-"}, tenant {TenantId ?? "-"}, session {SessionId ?? "-"}";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
