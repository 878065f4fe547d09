using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0005: a console chat that resends the whole conversation on every turn and never trims it, so the input
/// tokens of a session grow with the square of its number of turns.
/// </summary>
public sealed class UnboundedHistory(IChatClient client)
{
    public async Task ChatAsync()
    {
        var history = new List<ChatMessage> { new(ChatRole.System, "You are the eShop support assistant.") };
        while (Console.ReadLine() is { } input)
        {
            history.Add(new ChatMessage(ChatRole.User, input));
            var response = await client.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = 500 });
            Console.WriteLine(response.Text);
            history.AddMessages(response);
        }
    }
}
