using System.Numerics.Tensors;

namespace HelaMem.Core.Semantic;

/// <summary>
/// The semantic memory of one user (what the semantic-memory grain owns): profile, facts and agent knowledge,
/// each fact and knowledge item with a unit embedding in a contiguous matrix for retrieval by cosine.
/// Items are deduplicated by text.
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

    /// <summary>Adds an item unless one with the same text exists; returns whether it was added.</summary>
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

        if (!_texts.Add(item.Text))
        {
            return false;
        }

        var index = _items.Count;
        _items.Add(item);
        if (_rows.Length < (index + 1) * Dimensions)
        {
            Array.Resize(ref _rows, Math.Max(4, index + 1) * 2 * Dimensions);
        }

        var row = _rows.AsSpan(index * Dimensions, Dimensions);
        embedding.CopyTo(row);
        var norm = TensorPrimitives.Norm(row);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(row, norm, row);
        }

        return true;
    }

    /// <summary>The best <paramref name="topK"/> facts and agent-knowledge items by cosine to the query (ties: older first).</summary>
    public IReadOnlyList<SemanticItem> Search(ReadOnlySpan<float> query, int topK) => Search(query, topK, profile: false);

    /// <summary>
    /// The profile as returned with a context: at most <paramref name="maxItems"/> profile items, the ones closest
    /// to the query, so that the profile section stays small however much consolidation has distilled.
    /// </summary>
    public IReadOnlyList<SemanticItem> ProfileFor(ReadOnlySpan<float> query, int maxItems) => Search(query, maxItems, profile: true);

    private IReadOnlyList<SemanticItem> Search(ReadOnlySpan<float> query, int topK, bool profile)
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
        return [.. best.AsSpan(0, count).ToArray().Select(s => _items[s.Index])];
    }

    /// <summary>Removes every item all of whose sources are in <paramref name="deletedNodes"/>; returns how many.</summary>
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
