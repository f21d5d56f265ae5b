using System.Numerics.Tensors;

namespace HelaMem.Core.Semantic;

/// <summary>
/// The semantic memory of one user (what the semantic-memory grain owns): profile, facts and agent knowledge,
/// each fact and knowledge item with a unit embedding in a contiguous matrix for retrieval by cosine.
/// Items are deduplicated by text; an item with a slot replaces the item that held the slot before (updates and
/// contradictions replace, they do not pile up).
/// </summary>
public sealed class SemanticStore
{
    private readonly List<SemanticItem> _items = [];
    private readonly HashSet<string> _texts = new(StringComparer.Ordinal);
    private float[] _rows = [];

    /// <summary>Creates an empty store for vectors of <paramref name="dimensions"/> floats.</summary>
    public SemanticStore(int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimensions);
        Dimensions = dimensions;
    }

    /// <summary>The vector length.</summary>
    public int Dimensions { get; }

    /// <summary>All items, in insertion order.</summary>
    public IReadOnlyList<SemanticItem> Items => _items;

    /// <summary>The profile items, in insertion order.</summary>
    public IEnumerable<SemanticItem> Profile => _items.Where(item => item.Kind == SemanticKind.Profile);

    /// <summary>
    /// Adds an item unless one with the same text exists; an item with a slot replaces the item holding that slot (in
    /// its place). Returns whether the store changed.
    /// </summary>
    public bool Add(SemanticItem item, ReadOnlySpan<float> embedding)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (string.IsNullOrWhiteSpace(item.Text))
        {
            throw new ArgumentException("A semantic item needs text.", nameof(item));
        }

        if (embedding.Length != Dimensions)
        {
            throw new ArgumentException($"The embedding has {embedding.Length} dimensions; the store holds {Dimensions}.", nameof(embedding));
        }

        // Kept in the canonical form (a slot an earlier version stored is rewritten as it is loaded), so slots compare as
        // plain strings.
        var slot = SemanticSlots.Canonical(item.Slot);
        if (!string.Equals(slot, item.Slot, StringComparison.Ordinal))
        {
            item = item with { Slot = slot };
        }

        var index = slot is null ? -1 : _items.FindIndex(existing => string.Equals(existing.Slot, slot, StringComparison.Ordinal));
        if (index >= 0)
        {
            var previous = _items[index];
            if (string.Equals(previous.Text, item.Text, StringComparison.Ordinal))
            {
                // The same statement again: it now rests on more memories, so deleting one of them does not remove it.
                var sources = previous.Sources.Union(item.Sources).ToArray();
                if (sources.Length == previous.Sources.Count)
                {
                    return false;
                }

                _items[index] = previous with { Sources = sources };
                return true;
            }

            if (_texts.Contains(item.Text))
            {
                return false;
            }

            _texts.Remove(previous.Text);
            _texts.Add(item.Text);
            _items[index] = item;
            WriteRow(index, embedding);
            return true;
        }

        if (!_texts.Add(item.Text))
        {
            return false;
        }

        index = _items.Count;
        _items.Add(item);
        if (_rows.Length < (index + 1) * Dimensions)
        {
            Array.Resize(ref _rows, Math.Max(4, index + 1) * 2 * Dimensions);
        }

        WriteRow(index, embedding);
        return true;
    }

    /// <summary>The stored (unit) embedding of item <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> EmbeddingOf(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, _items.Count);
        return _rows.AsSpan(index * Dimensions, Dimensions);
    }

    private void WriteRow(int index, ReadOnlySpan<float> embedding)
    {
        var row = _rows.AsSpan(index * Dimensions, Dimensions);
        embedding.CopyTo(row);
        var norm = TensorPrimitives.Norm(row);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(row, norm, row);
        }
    }

    /// <summary>The best <paramref name="topK"/> facts and agent-knowledge items by cosine to the query (ties: older first).</summary>
    public IReadOnlyList<SemanticItem> Search(ReadOnlySpan<float> query, int topK) => [.. Search(query, topK, profile: false).Select(m => m.Item)];

    /// <summary>As <see cref="Search(ReadOnlySpan{float}, int)"/>, with each item's cosine to the query (why it matched).</summary>
    public IReadOnlyList<ScoredSemanticItem> SearchScored(ReadOnlySpan<float> query, int topK) => Search(query, topK, profile: false);

    /// <summary>
    /// The profile as returned with a context: at most <paramref name="maxItems"/> profile items, the ones closest
    /// to the query, so that the profile section stays small however much consolidation has distilled.
    /// </summary>
    public IReadOnlyList<SemanticItem> ProfileFor(ReadOnlySpan<float> query, int maxItems) => [.. Search(query, maxItems, profile: true).Select(m => m.Item)];

    /// <summary>As <see cref="ProfileFor"/>, with each item's cosine to the query.</summary>
    public IReadOnlyList<ScoredSemanticItem> ProfileForScored(ReadOnlySpan<float> query, int maxItems) => Search(query, maxItems, profile: true);

    private IReadOnlyList<ScoredSemanticItem> Search(ReadOnlySpan<float> query, int topK, bool profile)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topK);
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the store holds {Dimensions}.", nameof(query));
        }

        if (topK == 0 || _items.Count == 0)
        {
            return [];
        }

        var scores = new float[_items.Count];
        for (var i = 0; i < _items.Count; i++)
        {
            scores[i] = (_items[i].Kind == SemanticKind.Profile) != profile
                ? float.NegativeInfinity
                : TensorPrimitives.Dot(_rows.AsSpan(i * Dimensions, Dimensions), query);
        }

        var best = new Retrieval.ScoredIndex[topK];
        var count = Retrieval.TopK.Select(scores, topK, best);
        return [.. best.AsSpan(0, count).ToArray().Select(s => new ScoredSemanticItem(_items[s.Index], s.Score))];
    }

    /// <summary>
    /// A hard delete of <paramref name="deletedNodes"/>: every item all of whose sources are deleted is removed, and the
    /// others forget the deleted sources (so deleting the rest later removes them too). Returns how many were removed.
    /// </summary>
    public int RemoveDerivedOnlyFrom(IReadOnlySet<int> deletedNodes)
    {
        ArgumentNullException.ThrowIfNull(deletedNodes);
        var keptItems = new List<SemanticItem>(_items.Count);
        var keptRows = new float[_rows.Length];
        for (var i = 0; i < _items.Count; i++)
        {
            var item = _items[i];
            if (item.Sources.Count > 0 && item.Sources.All(deletedNodes.Contains))
            {
                _texts.Remove(item.Text);
                continue;
            }

            if (item.Sources.Any(deletedNodes.Contains))
            {
                item = item with { Sources = [.. item.Sources.Where(s => !deletedNodes.Contains(s))] };
            }

            _rows.AsSpan(i * Dimensions, Dimensions).CopyTo(keptRows.AsSpan(keptItems.Count * Dimensions, Dimensions));
            keptItems.Add(item);
        }

        var removed = _items.Count - keptItems.Count;
        _items.Clear();
        _items.AddRange(keptItems);
        _rows = keptRows;
        return removed;
    }
}
