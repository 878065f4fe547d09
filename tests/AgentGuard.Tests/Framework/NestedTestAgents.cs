using Microsoft.Extensions.AI;

namespace AgentGuard.Tests.Framework;

/// <summary>A generated agent whose tool runs another generated agent: the nested agent draws from this one's budget.</summary>
[Budget(MaxSteps = 4, MaxOutputTokensPerStep = 100)]
public sealed partial class Coordinator
{
    private readonly IChatClient researcherModel;

    public Coordinator(IChatClient researcherModel) => this.researcherModel = researcherModel;

    public AgentRunResult? ResearcherResult { get; private set; }

    [AgentTool("Asks the researcher a question and returns its findings.")]
    public async Task<string> Research(string question, CancellationToken cancellationToken)
    {
        ResearcherResult = await new Researcher().RunAsync(researcherModel, [new ChatMessage(ChatRole.User, question)], new AgentGuardOptions { ModelId = "gpt-4o" }, cancellationToken);
        return ResearcherResult.Text ?? "The researcher stopped: " + ResearcherResult.StopReason;
    }
}

/// <summary>A research agent with a generous budget of its own.</summary>
[Budget(MaxSteps = 20, MaxOutputTokensPerStep = 100)]
public sealed partial class Researcher
{
    [AgentTool("Searches the archive.")]
    public string Search(string query) => "3 documents about " + query;
}
