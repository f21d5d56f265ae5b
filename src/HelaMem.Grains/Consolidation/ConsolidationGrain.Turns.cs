using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.Distillation;

namespace HelaMem.Grains.Consolidation;

/// <summary>
/// The turn trigger: new turns are distilled in runs (every N turns, and at a session's end) whether or not learning
/// made hubs of them, so an ordinary user gets a profile and facts. A deferred run stays pending with all after it.
/// </summary>
public sealed partial class ConsolidationGrain
{
    // Node grains read at once when the new turns are gathered (they live on this silo; this bounds the burst).
    private const int ReadBatch = 256;

    private readonly record struct TurnOutcome(int Distilled, int Changed, int Waiting, bool Deferred);

    private async Task<TurnOutcome> DistillNewTurnsAsync(GraphSnapshot snapshot, DateTimeOffset now, bool flush, CancellationToken stop)
    {
        var every = options.ConsolidateEveryTurns;
        var fresh = snapshot.ActiveNodes.Where(n => n > Consolidation.TurnsDistilledThrough).Order().ToList();
        if (every == 0 || fresh.Count == 0)
        {
            return default;
        }

        // Fewer than N new turns and the last one recent: the session is still going, nothing to read yet.
        if (!flush && fresh.Count < every)
        {
            var last = await Node(fresh[^1]).Read(snapshot.Step);
            if (last is not null && now - last.Timestamp < options.SessionGap)
            {
                return new TurnOutcome(0, 0, fresh.Count, false);
            }
        }

        var turns = new List<NodeData>(fresh.Count);
        foreach (var batch in fresh.Chunk(ReadBatch))
        {
            var reads = await Task.WhenAll(batch.Select(n => Node(n).Read(snapshot.Step)));
            turns.AddRange(reads.Where(r => r is not null && !r.Archived)!);
        }

        var (ready, waiting) = TurnRuns.Split(turns, every, options.SessionGap, now, flush);
        var distilled = 0;
        var changed = 0;
        foreach (var run in ready)
        {
            try
            {
                // Every fact of a run is kept: a run of turns is what the user said, not a cluster to summarise.
                changed += await DistillAndMergeAsync([.. run.Select(ToMember)], snapshot, maxFacts: int.MaxValue, stop);
            }
            catch (DistillationDeferredException deferred)
            {
                ConsolidationLog.TurnsDeferred(logger, GrainKey, run.Count, run[0].NodeId, deferred);
                return new TurnOutcome(distilled, changed, turns.Count - distilled, true);
            }

            distilled += run.Count;
            Consolidation.TurnsDistilledThrough = run[^1].NodeId;
        }

        ConsolidationLog.TurnsDistilled(logger, GrainKey, distilled, changed, waiting);
        return new TurnOutcome(distilled, changed, waiting, false);
    }
}
