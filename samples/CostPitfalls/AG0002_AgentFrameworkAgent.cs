using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0002 with Microsoft Agent Framework — an agent whose options carry no output cap. Every run of the agent, and
/// every model call inside a run's tool loop, may then answer up to the model's output limit. The cap belongs to the
/// agent (its <see cref="ChatClientAgentOptions.ChatOptions"/>), so the rule reports where the agent is created, once.
/// </summary>
public static class TravelAgentFactory
{
    public static AIAgent Create(IChatClient chatClient)
        => chatClient.AsAIAgent(new ChatClientAgentOptions // AG0002: ChatOptions without MaxOutputTokens
        {
            Name = "TravelPlanner",
            ChatOptions = new ChatOptions { Instructions = "You plan trips. Ask for dates and budget before suggesting anything." },
        });
}
