using Microsoft.Extensions.AI;

namespace Consumer;

// The classic mistakes, so the package test can see AgentGuard's analyzers report from the installed package.
public static class Flawed
{
    public static async Task<string> RunUntilTheModelSaysDoneAsync(IChatClient client)
    {
        var messages = new List<ChatMessage> { new(ChatRole.System, "You are a research agent. Say DONE when finished.") };
        while (true)
        {
            var response = await client.GetResponseAsync(messages);
            if (response.Text.Contains("DONE"))
            {
                return response.Text;
            }

            messages.AddRange(response.Messages);
        }
    }
}
