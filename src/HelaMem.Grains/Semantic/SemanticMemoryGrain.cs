using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Core.Semantic;
using HelaMem.Core.Text;
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
    ISentenceEmbedder embedder) : Grain, ISemanticMemoryGrain
{
    private string? _grainKey;

    // The grain's key, formatted once (Orleans formats it on every call otherwise).
    private string GrainKey => _grainKey ??= this.GetPrimaryKeyString();

    private SemanticStore _store = null!;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ = GraphKey.Parse(GrainKey);
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

        var added = new List<SemanticRecord>();
        foreach (var entry in entries)
        {
            var embedding = entry.Embedding.ToArray();
            if (_store.Add(ToCore(entry.Item), embedding))
            {
                added.Add(new SemanticRecord { Kind = entry.Item.Kind, Text = entry.Item.Text, Sources = [.. entry.Item.Sources], Embedding = embedding });
            }
        }

        if (added.Count > 0)
        {
            stored.State.Items.AddRange(added);
            try
            {
                await stored.WriteStateAsync();
            }
            catch
            {
                // Keep memory and storage equal: the merge did not happen.
                stored.State.Items.RemoveRange(stored.State.Items.Count - added.Count, added.Count);
                Rebuild();
                throw;
            }
        }

        return added.Count;
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
        var knowledge = _store.Search(vector, topK);
        var profile = _store.ProfileFor(vector, profileMax);
        return Task.FromResult(new SemanticSearchResult([.. knowledge.Select(ToData)], [.. profile.Select(ToData)]));
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

        var vectors = embedder.EmbedAll([.. records.Select(r => r.Text)]);
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

            _store.Add(new SemanticItem(ToCore(record.Kind), record.Text, [.. record.Sources.Select(s => (int)s)]), record.Embedding);
        }
    }

    private static SemanticItem ToCore(SemanticItemData item) => new(ToCore(item.Kind), item.Text, [.. item.Sources.Select(s => checked((int)s))]);

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
        }, item.Text, [.. item.Sources.Select(s => (long)s)]);
}
