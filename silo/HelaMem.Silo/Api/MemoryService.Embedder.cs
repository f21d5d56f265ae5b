using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Api;

/// <summary>Moving an owner's memory to the silo's embedder.</summary>
internal sealed partial class MemoryService
{
    /// <summary>
    /// Memories re-embedded per grain call: one step stays far below the grain call timeout even on MiniLM
    /// (about 100 texts/s per core), and its progress is durable, so an interrupted request resumes where it stopped.
    /// </summary>
    internal const int ReembedStep = 256;

    /// <summary>
    /// Re-embeds the owner's memory with the silo's embedder, step by step until none remains. Every step after the
    /// first is charged as one more request (<paramref name="chargeNextStep"/>): a refusal there leaves the steps done
    /// durable, and the next call resumes.
    /// </summary>
    public async Task<ReembedResult> ReembedAsync(string tenant, MemoryOwner owner, Action? chargeNextStep = null)
    {
        var key = Key(tenant, owner);
        await RequireUserAsync(key);
        var graph = Grains.GetGrain<IUserGraphGrain>(key.ToString());
        long memories = 0;
        var semanticItems = 0;
        for (var steps = 0; ; steps++)
        {
            if (steps > 0)
            {
                chargeNextStep?.Invoke();
            }

            var step = await graph.Reembed(ReembedStep);
            memories += step.Memories;
            semanticItems += step.SemanticItems;
            if (!step.Changed || step.Remaining == 0)
            {
                return new ReembedResult(owner.Id, step.From, step.To, step.Dimensions, memories, semanticItems,
                    Changed: step.Changed, owner.ScopeText);
            }
        }
    }
}
