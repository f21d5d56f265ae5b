using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;

namespace HelaMem.Grains.Tests.Examples;

/// <summary>
/// The kind of code a HelaMem user writes: an agent that remembers every turn of its conversations and builds its
/// prompt from the memory context. It talks only to the grain interfaces, exactly as it would in production.
/// </summary>
public sealed class TravelAgent(IGrainFactory grains, string tenant)
{
    public async Task RememberAsync(string user, string speaker, string text, DateTimeOffset when) =>
        await grains.GetGrain<IUserGraphGrain>($"{tenant}/{user}").Ingest([new IngestMessage($"{speaker}: {text}", speaker, when, "chat")]);

    /// <summary>The prompt the agent would send to its LLM: the remembered context, then the question.</summary>
    public async Task<string> BuildPromptAsync(string user, string question, DateTimeOffset now)
    {
        var memory = await grains.GetGrain<IUserGraphGrain>($"{tenant}/{user}").Retrieve(new RetrieveRequest(question, now));
        return $"{memory.Context}\n## Question\n{question}";
    }
}
