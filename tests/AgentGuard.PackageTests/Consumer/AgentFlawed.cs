using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Consumer;

// An Agent Framework agent created without an output cap: every run of it is uncapped.
public static class AgentFlawed
{
    public static AIAgent Create(IChatClient chatClient)
        => chatClient.AsAIAgent(instructions: "You are a travel planner.", name: "Planner");
}
