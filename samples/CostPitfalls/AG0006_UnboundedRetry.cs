using System;
using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0006: a retry loop with no attempt limit. A provider outage, an expired key or a request the model always
/// rejects turns into a request every two seconds, forever.
/// </summary>
public sealed class UnboundedRetry(IChatClient client)
{
    public async Task<string> SummarizeOrderAsync(string order)
    {
        while (true)
        {
            try
            {
                var response = await client.GetResponseAsync(
                    "Summarize this order for the customer in two sentences:\n" + order,
                    new ChatOptions { MaxOutputTokens = 500 });
                return response.Text;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}
