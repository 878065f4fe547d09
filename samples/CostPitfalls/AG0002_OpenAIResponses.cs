using System.Threading;
using System.Threading.Tasks;
using OpenAI.Responses;

namespace CostPitfalls;

/// <summary>
/// AG0002 with the OpenAI Responses API — the <c>CreateResponseAsync(model, input)</c> shortcut takes no options, so
/// it can carry no <see cref="CreateResponseOptions.MaxOutputTokenCount"/>. The fix moves the call to the options
/// overload, keeping the model, the input and the previous response.
/// </summary>
public sealed class ReleaseNotesWriter(ResponsesClient responses)
{
    public async Task<string> WriteAsync(string changes, string? previousResponseId, CancellationToken cancellationToken)
    {
        var response = await responses.CreateResponseAsync("gpt-4.1", "Write release notes for: " + changes, previousResponseId, cancellationToken); // AG0002
        return response.Value.GetOutputText();
    }
}
