using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
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

    // The silo's embedder as this graph's tenant sees it (a remote embedder names the tenant's embedding model), read at
    // activation and again before every use, since an operator may change the tenant's provider override meanwhile.
    private string _embedderName = "";

    // False when activation kept the stored vectors out of the index (they were another embedder's).
    private bool _indexHoldsVectors = true;

    private void CheckEmbedder(bool log = true)
    {
        _embedderMismatch = Graph.Reembedding is { } run
            ? $"{GraphEmbedder.Recorded(Graph, _embedderName, embedder.Dimensions)?.Name ?? run.To} (partly re-embedded to {run.To})"
            : GraphEmbedder.Mismatch(Graph, _embedderName, embedder.Dimensions);
        if (log && _embedderMismatch is not null)
        {
            GrainLog.EmbedderMismatch(logger, GrainKey, _embedderMismatch, _embedderName);
        }
    }

    // Reads the embedder name for the tenant again; completes synchronously for a local embedder.
    private async ValueTask RefreshEmbedderAsync()
    {
        var name = await embedder.NameForAsync(_key.Tenant);
        if (string.Equals(name, _embedderName, StringComparison.Ordinal))
        {
            return;
        }

        // The tenant's override names another embedding model than when this graph was loaded.
        _embedderName = name;
        CheckEmbedder();
        if (_embedderMismatch is null && !_indexHoldsVectors)
        {
            // Back on the graph's own embedder, but this activation's index was built without its vectors: reload.
            DeactivateOnIdle();
            throw new EmbeddingUnavailableException("the tenant's embedding model changed while this memory was loaded; it is being reloaded", retryAfterSeconds: 1);
        }
    }

    // Called before anything that embeds or compares vectors changes or reads the graph.
    private async ValueTask RequireSiloEmbedderAsync()
    {
        await RefreshEmbedderAsync();
        if (_embedderMismatch is not null)
        {
            throw new EmbedderMismatchException(_embedderMismatch, _embedderName);
        }
    }

    // An empty graph adopts the silo's embedder with its first memories.
    private void RecordEmbedder()
    {
        if (Graph.Embedder is null)
        {
            Graph.Embedder = _embedderName;
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

        await RefreshEmbedderAsync();
        var recorded = GraphEmbedder.Recorded(Graph, _embedderName, embedder.Dimensions);
        if (_embedderMismatch is null)
        {
            // Already on the silo's embedder, or empty: nothing to do (a repeated call is a no-op).
            return new ReembedProgress(recorded?.Name ?? _embedderName, _embedderName, embedder.Dimensions, 0, 0, 0, Changed: false);
        }

        var from = recorded?.Name ?? _embedderName;
        var to = _embedderName;

        // A run towards another embedder (the silo changed again meanwhile) starts over: its vectors are useless now.
        if (Graph.Reembedding is not { } run || run.To != to)
        {
            run = new ReembeddingRecord { To = to, Next = 0 };
        }

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

        // Embedded before anything is written: a provider that fails leaves the graph as it was, resumable by a retry.
        var vectors = await embedder.EmbedAllAsync(_key.Tenant, [.. ids.Select(i => _nodes[i].Content)]);
        _stateInFlux = true;
        try
        {
            var written = await Task.WhenAll(ids.Select((id, k) => NodeGrain(id).Reembed(vectors[k])));

            // Only after the node writes are durable does the progress say so: a crash before repeats them, never skips.
            run.Next = end;
            Graph.Reembedding = run;
            var semanticItems = 0;
            var finished = end >= count;
            if (finished)
            {
                semanticItems = await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Reembed();
                Graph.Embedder = to;
                Graph.EmbedderDimensions = embedder.Dimensions;
                Graph.Reembedding = null;
            }

            await WriteStateAsync();
            var reembedded = written.Count(w => w);
            GrainLog.Reembedded(logger, GrainKey, from, to, reembedded, count - end);
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

            return new ReembedProgress(from, to, embedder.Dimensions, reembedded, semanticItems, count - end, Changed: true);
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
