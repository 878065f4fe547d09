using AgentGuard.Analyzers.Loops;
using Verify = AgentGuard.Analyzers.Tests.Infrastructure.CSharpAnalyzerVerifier<AgentGuard.Analyzers.Loops.UnboundedAgentLoopAnalyzer>;

namespace AgentGuard.Analyzers.Tests.Loops;

/// <summary>AG0001 — Loops written with a backward <c>goto</c>.</summary>
public sealed partial class UnboundedAgentLoopAnalyzerTests
{
    [Fact]
    public async Task GotoLoop_BackUntilModelSaysDone_Reports()
    {
        const string source = /* lang=c#-test */ """
            using System.Collections.Generic;
            using System.Threading.Tasks;
            using Microsoft.Extensions.AI;

            public sealed class LegacyAgent(IChatClient client)
            {
                public async Task RunAsync(List<ChatMessage> messages)
                {
                next:
                    var response = await client.GetResponseAsync(messages);
                    messages.AddMessages(response);
                    if (!response.Text.Contains("DONE"))
                    {
                        {|#0:goto|} next;
                    }
                }
            }
            """;

        await Verify.VerifyAsync(source, Loop());
    }
}
