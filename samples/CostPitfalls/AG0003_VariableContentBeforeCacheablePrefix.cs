using System;
using System.Collections.Generic;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0003 — variable content before a cacheable prefix. The timestamp at the head of the system prompt makes every
/// request's prefix unique, so the provider's prompt cache (which bills a cached prefix at about a tenth of the
/// input price) never hits and the long, stable instructions are paid in full on every call.
/// </summary>
public sealed class SupportConversation
{
    public List<ChatMessage> Start(string customerName) =>
    [
        new(ChatRole.System, $"Current time: {DateTime.Now:u}\nYou are the support assistant of Contoso Outdoors. Answer questions about orders, returns and warranties. Never promise a refund; hand refund requests to a human agent."),
        new(ChatRole.User, $"Hi, I'm {customerName}."),
    ];
}
