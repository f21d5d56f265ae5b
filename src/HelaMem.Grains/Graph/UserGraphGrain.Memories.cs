using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Core.Text;
using HelaMem.Grains.Diagnostics;

namespace HelaMem.Grains.Graph;

/// <summary>One memory at a time: listing with filters, updates (re-embedded, re-keyworded, edges kept) and hard deletes.</summary>
public sealed partial class UserGraphGrain
{
    /// <inheritdoc />
    public Task<MemoryIdPage> ListMemories(MemoryListQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Offset, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1, nameof(query));
        var filter = MemoryFilterMatcher.Create(query.Filter);
        var ids = new List<long>(Math.Min(query.Limit, 256));
        long total = 0;
        for (var i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            if (node.Deleted || (filter is not null && !filter.Matches(node)))
            {
                continue;
            }

            if (total >= query.Offset && ids.Count < query.Limit)
            {
                ids.Add(i);
            }

            total++;
        }

        return Task.FromResult(new MemoryIdPage(ids, total));
    }

    /// <inheritdoc />
    public async Task<MemoryRevisionResult> Update(long nodeId, MemoryUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var index = RequireLiveNode(nodeId);
        if (update.Content is null && update.Metadata is null)
        {
            throw new ArgumentException("An update needs new content, new metadata or both.", nameof(update));
        }

        if (update.Content is { } text && (string.IsNullOrWhiteSpace(text) || text.Length > _maxLength))
        {
            throw new ArgumentException($"The new content must be 1 … {_maxLength} characters and not blank.", nameof(update));
        }

        if (update.Metadata is not null)
        {
            IngestValidation.ValidateMetadata(update.Metadata, 0, nameof(update));
        }

        var current = _nodes[index];
        // Even a metadata-only update writes the node's row back into the index, which holds no vectors of another embedder.
        await RequireSiloEmbedderAsync();

        var content = update.Content ?? current.Content;
        var metadata = update.Metadata is null ? current.Metadata : IngestValidation.CopyMetadata(update.Metadata);
        if (string.Equals(content, current.Content, StringComparison.Ordinal) && SameMetadata(metadata, current.Metadata))
        {
            return new MemoryRevisionResult(current.Version, Changed: false);
        }

        // The node's own keywords are replaced; keywords it inherited from the turn before it in its thread stay, as
        // its edges do: an update changes what the memory says, not where it sits in the conversation.
        var stored = await NodeGrain(nodeId).Read(Graph.Step) ?? throw new KeyNotFoundException($"Memory {nodeId} of graph {_key} has no stored state.");
        string[] keywords = [.. stored.Keywords];
        var indexed = stored.IndexedKeywords;
        var embedding = stored.Embedding;
        if (!string.Equals(content, current.Content, StringComparison.Ordinal))
        {
            // Before the revision is written: a provider that fails changes nothing.
            embedding = await embedder.EmbedAsync(_key.Tenant, content);
            keywords = KeywordExtractor.Extract(content, _algorithm.StemKeywords);
            var inherited = stored.IndexedKeywords.Except(stored.Keywords, StringComparer.Ordinal);
            indexed = [.. keywords.Union(inherited, StringComparer.Ordinal)];
        }

        var version = await NodeGrain(nodeId).Revise(new NodeRevision(content, keywords, embedding, indexed, metadata, update.At));

        // Durable: now the index and the summaries follow.
        _index.Replace(index, embedding is float[] array ? array : [.. embedding], stored.IndexedKeywords, indexed);
        _nodes[index] = current with { Content = content, Keywords = keywords, Metadata = metadata, Version = version };
        // Rebuilt on the next de-duplicating ingest: another memory may hold the old content.
        _contentIds = null;

        GrainLog.MemoryUpdated(logger, GrainKey, nodeId, version);
        return new MemoryRevisionResult(version, Changed: true);
    }

    /// <inheritdoc />
    public async Task<bool> DeleteMemory(long nodeId)
    {
        if (nodeId < 0 || nodeId >= _nodes.Count || _nodes[(int)nodeId].Deleted)
        {
            return false;
        }

        // From here on a merging consolidation drops this memory as a source; a merge sent before goes first.
        _deletingNodes.Add(nodeId);
        try
        {
            await AwaitSemanticMergeAsync();
            return await DeleteMemoryAsync(nodeId);
        }
        finally
        {
            _deletingNodes.Remove(nodeId);
        }
    }

    private async Task<bool> DeleteMemoryAsync(long nodeId)
    {
        // A hard delete is final everywhere (design §2): what was distilled only from this memory goes first, so a
        // failure leaves the memory in place and the retried delete removes both (never an orphaned derived item).
        if (_semanticMayHoldItems)
        {
            var removed = await GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).RemoveDerivedOnlyFrom([nodeId]);
            if (removed > 0)
            {
                _ = GrainFactory.GetGrain<ITenantGrain>(_key.Tenant).CountSemanticItemsRemoved(removed);
            }
        }

        // Out of retrieval first, so no retrieval returns it while its state is deleted; a failed delete restores it.
        var index = (int)nodeId;
        var wasArchived = !_index.Archive(index);
        try
        {
            await NodeGrain(nodeId).Delete();
        }
        catch
        {
            if (!wasArchived)
            {
                _index.Restore(index);
            }

            throw;
        }

        _index.Erase(index);
        var node = _nodes[index];
        _nodes[index] = new NodeSummary("", "", node.Timestamp, [], null, Deleted: true);
        _contentIds = null;

        GrainLog.MemoryDeleted(logger, GrainKey, nodeId);
        return true;
    }

    private int RequireLiveNode(long nodeId)
    {
        if (nodeId < 0 || nodeId >= _nodes.Count || _nodes[(int)nodeId].Deleted)
        {
            throw new KeyNotFoundException($"Memory {nodeId} does not exist in graph {_key}.");
        }

        return (int)nodeId;
    }

    private static bool SameMetadata(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        var left = a ?? EmptyMetadata;
        var right = b ?? EmptyMetadata;
        return left.Count == right.Count
            && left.All(entry => right.TryGetValue(entry.Key, out var value) && string.Equals(value, entry.Value, StringComparison.Ordinal));
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyMetadata = new Dictionary<string, string>();
}
