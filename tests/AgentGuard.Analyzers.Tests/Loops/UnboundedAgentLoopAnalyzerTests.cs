using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>
/// AG0001 on loops, goto loops and recursion, one file per shape: <c>.Loops</c>, <c>.Goto</c>, <c>.Recursion</c>,
/// <c>.FunctionInvocation</c>, and what bounds a loop: <c>.Pacing</c>, <c>.Counters</c>, <c>.BudgetsAndTime</c>.
/// </summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Loop(int location = 0)
        => Verify.Diagnostic(DiagnosticDescriptors.AG0001_UnboundedAgentLoop).WithLocation(location);
}
