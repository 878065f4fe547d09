using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace AgentGuard;

/// <summary>
/// Runs one tool call of an agent: the generated dispatch switch of a <c>[Budget]</c> agent, or hand-written.
/// Returns an outcome; an exception from the tool itself is caught by <see cref="AgentRunner"/>.
/// </summary>
/// <param name="call">The model's call: tool name and arguments.</param>
/// <param name="cache">The run's tool-result cache, for cacheable tools.</param>
/// <param name="cancellationToken">The run's cancellation.</param>
public delegate ValueTask<ToolOutcome> AgentToolInvoker(FunctionCallContent call, ToolResultCache cache, CancellationToken cancellationToken);
