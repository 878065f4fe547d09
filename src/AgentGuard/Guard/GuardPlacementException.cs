using System;

namespace AgentGuard;

/// <summary>
/// A <see cref="BudgetChatClient"/> placed where it cannot see every model call (outside a
/// <c>FunctionInvokingChatClient</c>). Thrown before the request is sent; callers catch it as the
/// <see cref="InvalidOperationException"/> it is.
/// </summary>
internal sealed class GuardPlacementException : InvalidOperationException
{
    public GuardPlacementException(string message)
        : base(message)
    {
    }
}
