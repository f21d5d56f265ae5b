using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Graph;

/// <summary>
/// The embedder a graph was built with: recorded at its first ingest, checked against the silo's on activation (a graph
/// on another embedder refuses ingest, search and content updates, since its vectors and the silo's cannot be compared),
/// and moved to the silo's by <see cref="Reembed"/>.
/// </summary>
public sealed partial class UserGraphGrain
{
    // The graph's embedder when it is not the silo's (or the graph is half-way through a re-embedding), else null.
    private string? _embedderMismatch;

    private void CheckEmbedder(bool log = true)
    {
        _embedderMismatch = Graph.Reembedding is { } run
            ? $"{GraphEmbedder.Recorded(Graph, embedder)?.Name ?? run.To} (partly re-embedded to {run.To})"
            : GraphEmbedder.Mismatch(Graph, embedder);
        if (log && _embedderMismatch is not null)
        {
            GrainLog.EmbedderMismatch(logger, GrainKey, _embedderMismatch, embedder.Name);
        }
    }

    // Called before anything that embeds or compares vectors changes or reads the graph.
    private void RequireSiloEmbedder()
    {
        if (_embedderMismatch is not null)
        {
            throw new EmbedderMismatchException(_embedderMismatch, embedder.Name);
        }
    }

    // An empty graph adopts the silo's embedder with its first memories.
    private void RecordEmbedder()
    {
        if (Graph.Embedder is null)
        {
            Graph.Embedder = embedder.Name;
            Graph.EmbedderDimensions = embedder.Dimensions;
        }
    }

    /// <inheritdoc />
    public async Task<ReembedProgress> Reembed(int maxMemories)
    {
        if (maxMemories < 1)
        {
            throw new ArgumentException($"maxMemories is {maxMemories}; it must be at least 1.", nameof(maxMemories));
        }

        var recorded = GraphEmbedder.Recorded(Graph, embedder);
        if (_embedderMismatch is null)
        {
            // Already on the silo's embedder, or empty: nothing to do (a repeated call is a no-op).
            return new ReembedProgress(recorded?.Name ?? embedder.Name, embedder.Name, embedder.Dimensions, 0, 0, 0, Changed: false);
        }

        var from = recorded?.Name ?? embedder.Name;

        // A run towards another embedder (the silo changed again meanwhile) starts over: its vectors are useless now.
        if (Graph.Reembedding is not { } run || run.To != embedder.Name)
        {
            run = new ReembeddingRecord { To = embedder.Name, Next = 0 };
        }

        _stateInFlux = true;
        try
        {
            var count = _nodes.Count;
            var end = (int)Math.Min(count, run.Next + (long)maxMemories);
            var ids = new List<int>(end - (int)run.Next);
            for (var i = (int)run.Next; i < end; i++)
            {
                if (!_nodes[i].Deleted)
                {
                    ids.Add(i);
                }
            }

            var vectors = embedder.EmbedAll([.. ids.Select(i => _nodes[i].Content)]);
            var written = await Task.WhenAll(ids.Select((id, k) => NodeGrain(id).Reembed(vectors[k])));

            // Only after the node writes are durable does the progress say so: a crash before repeats them, never skips.
            run.Next = end;
            Graph.Reembedding = run;
            var semanticItems = 0;
            var finished = end >= count;
            if (finished)
            {
                semanticItems = await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Reembed();
                Graph.Embedder = embedder.Name;
                Graph.EmbedderDimensions = embedder.Dimensions;
                Graph.Reembedding = null;
            }

            await WriteStateAsync();
            var reembedded = written.Count(w => w);
            GrainLog.Reembedded(logger, GrainKey, from, embedder.Name, reembedded, count - end);
            if (finished)
            {
                // The next activation rebuilds the index and the common direction from the new vectors; this one keeps
                // refusing (its index holds no vectors) until it is gone.
                _stateDiscarded = true;
                DeactivateOnIdle();
            }
            else
            {
                // Half-way, the refusals say so (and name the embedder the run moves to).
                CheckEmbedder(log: false);
            }

            return new ReembedProgress(from, embedder.Name, embedder.Dimensions, reembedded, semanticItems, count - end, Changed: true);
        }
        catch
        {
            // What is durable decides: the next activation resumes from the stored progress.
            _stateDiscarded = true;
            DeactivateOnIdle();
            throw;
        }
        finally
        {
            _stateInFlux = false;
        }
    }
}
