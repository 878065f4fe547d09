using System.Threading.Tasks;
using Microsoft.Extensions.AI;

namespace CostPitfalls;

/// <summary>
/// AG0001: a "refine until the model is happy" loop. Only the model's answer ends it, so a model that never says
/// DONE (or says "Done." instead) keeps it running — and billing — until someone notices.
/// </summary>
public sealed class UnboundedAgentLoop(IChatClient client)
{
    public async Task<string> ImproveUntilDoneAsync(string draft)
    {
        while (true)
        {
            var response = await client.GetResponseAsync(
                "Improve this product description, or reply DONE if it needs no more work:\n" + draft,
                new ChatOptions { MaxOutputTokens = 500 });
            if (response.Text.Trim() == "DONE")
            {
                return draft;
            }

            draft = response.Text;
        }
    }
}
