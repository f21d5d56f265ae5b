using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core.Semantic;
using HelaMem.Grains.Embedding;
using HelaMem.Grains.State;
using HelaMem.Grains.Hosting;
using HelaMem.Grains.Placement;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Grains.Semantic;

/// <summary>
/// The semantic memory of one user: the core's <see cref="SemanticStore"/> in memory, the items with their
/// embeddings in state (the store is rebuilt from them on activation). Merges are durable when they return.
/// </summary>
[GrainType("semantic-memory")]
[UserGraphPlacement]
public sealed class SemanticMemoryGrain(
    [PersistentState("semantic", HelaMemGrains.StorageName)] IPersistentState<SemanticState> stored,
    IGraphEmbedder embedder) : Grain, ISemanticMemoryGrain
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    private SemanticStore _store = null!;
    private GraphKey _key;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = GraphKey.Parse(GrainKey);
        Rebuild();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<int> Merge(IReadOnlyList<SemanticEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            if (entry?.Item is null || string.IsNullOrWhiteSpace(entry.Item.Text) || entry.Embedding is null || entry.Embedding.Count != embedder.Dimensions)
            {
                throw new ArgumentException($"Every entry needs non-empty text and a {embedder.Dimensions}-dimensional embedding.", nameof(entries));
            }
        }

        var changed = 0;
        foreach (var entry in entries)
        {
            if (_store.Add(ToCore(entry.Item), entry.Embedding.ToArray()))
            {
                changed++;
            }
        }

        if (changed > 0)
        {
            await PersistAsync();
        }

        return changed;
    }

    /// <inheritdoc />
    public async Task<int> RemoveDerivedOnlyFrom(IReadOnlyList<long> deletedNodes)
    {
        ArgumentNullException.ThrowIfNull(deletedNodes);
        var deleted = deletedNodes.Where(n => n is >= 0 and <= int.MaxValue).Select(n => (int)n).ToHashSet();
        if (deleted.Count == 0 || !_store.Items.Any(item => item.Sources.Any(deleted.Contains)))
        {
            return 0;
        }

        var removed = _store.RemoveDerivedOnlyFrom(deleted);
        await PersistAsync();
        return removed;
    }

    // The state follows the store (items replace in place, so the records are written from it); a failed write puts
    // the store back as storage has it, so memory and storage stay equal.
    private async Task PersistAsync()
    {
        var previous = stored.State.Items;
        stored.State.Items = [.. _store.Items.Select((item, i) => new SemanticRecord
        {
            Kind = ToData(item).Kind,
            Text = item.Text,
            Sources = [.. item.Sources.Select(s => (long)s)],
            Subject = item.Subject,
            Slot = item.Slot,
            Embedding = _store.EmbeddingOf(i).ToArray(),
        })];
        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            stored.State.Items = previous;
            Rebuild();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<SemanticSearchResult> Search(IReadOnlyList<float> query, int topK, int profileMax)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        ArgumentOutOfRangeException.ThrowIfNegative(profileMax);
        if (_store.Items.Count == 0)
        {
            return Task.FromResult(new SemanticSearchResult([], []));
        }

        var vector = query as float[] ?? [.. query];
        var knowledge = _store.SearchScored(vector, topK);
        var profile = _store.ProfileForScored(vector, profileMax);
        return Task.FromResult(new SemanticSearchResult(
            [.. knowledge.Select(m => ToData(m.Item) with { Score = m.Score })],
            [.. profile.Select(m => ToData(m.Item) with { Score = m.Score })]));
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SemanticItemData>> Items() =>
        Task.FromResult<IReadOnlyList<SemanticItemData>>([.. _store.Items.Select(ToData)]);

    /// <inheritdoc />
    public async Task<int> Reembed()
    {
        var records = stored.State.Items;
        if (records.Count == 0)
        {
            return 0;
        }

        // Embedded before anything changes: a provider that fails leaves the items as they were (the re-embedding resumes).
        var vectors = await embedder.EmbedAllAsync(_key.Tenant, [.. records.Select(r => r.Text)]);
        var previous = records.Select(r => r.Embedding).ToArray();
        for (var i = 0; i < records.Count; i++)
        {
            records[i].Embedding = vectors[i];
        }

        try
        {
            await stored.WriteStateAsync();
        }
        catch
        {
            // Keep memory and storage equal: the items keep the vectors that are stored.
            for (var i = 0; i < records.Count; i++)
            {
                records[i].Embedding = previous[i];
            }

            throw;
        }

        Rebuild();
        return records.Count;
    }

    /// <inheritdoc />
    public async Task<int> Clear()
    {
        var count = _store.Items.Count;
        if (stored.RecordExists)
        {
            await stored.ClearStateAsync();
        }

        Rebuild();
        DeactivateOnIdle();
        return count;
    }

    private void Rebuild()
    {
        _store = new SemanticStore(embedder.Dimensions);
        foreach (var record in stored.State.Items)
        {
            if (record.Embedding.Length != embedder.Dimensions)
            {
                // Written under another embedder: held out until Reembed (its graph refuses searches meanwhile).
                continue;
            }

            _store.Add(new SemanticItem(ToCore(record.Kind), record.Text, [.. record.Sources.Select(s => (int)s)], record.Subject, record.Slot), record.Embedding);
        }
    }

    private static SemanticItem ToCore(SemanticItemData item) => new(ToCore(item.Kind), item.Text, [.. item.Sources.Select(s => checked((int)s))], item.Subject, item.Slot);

    private static SemanticKind ToCore(SemanticItemKind kind) => kind switch
    {
        SemanticItemKind.Profile => SemanticKind.Profile,
        SemanticItemKind.Fact => SemanticKind.Fact,
        SemanticItemKind.AgentKnowledge => SemanticKind.AgentKnowledge,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown semantic item kind."),
    };

    private static SemanticItemData ToData(SemanticItem item) =>
        new(item.Kind switch
        {
            SemanticKind.Profile => SemanticItemKind.Profile,
            SemanticKind.Fact => SemanticItemKind.Fact,
            _ => SemanticItemKind.AgentKnowledge,
        }, item.Text, [.. item.Sources.Select(s => (long)s)], item.Subject, item.Slot);
}
