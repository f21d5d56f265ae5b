using System.Runtime.InteropServices;
using System.Numerics.Tensors;

namespace HelaMem.Core.Retrieval;

/// <summary>
/// The base pathway's index over one user graph: node indices (dense, in insertion order, never reused),
/// unit embedding rows stored contiguously, timestamps and keyword postings. The user-graph grain owns one.
/// It computes S_base(v_i) = (sim(q, e_i) + α·kw(q, v_i))·γ(v_i) for every node in one vectorised pass.
/// </summary>
/// <remarks>
/// Common-component removal is folded into the scan instead of rewriting the rows: with u the common
/// direction, p_i = e_i·u and p_q = q·u, the cosine of the two vectors with u removed is
/// (q·e_i − p_q·p_i) / (|q − p_q·u|·|e_i − p_i·u|), and |e_i − p_i·u| = √(1 − p_i²) for a unit row. So the
/// index keeps the raw rows, one projection and one inverse norm per node, and u can be recomputed at any
/// time in one pass without touching the rows. Not thread-safe: one owner (a grain activation) at a time.
/// </remarks>
public sealed class BaseIndex
{
    private readonly Dictionary<string, List<int>> _postings = new(StringComparer.Ordinal);
    private readonly SpeakerCue _speakers = new();
    private float[] _rows;
    private float[] _projections;
    private float[] _inverseNorms;
    private double[] _timestamps;
    private bool[] _archived;
    private float[]? _direction;
    private double _newestTimestamp = double.NegativeInfinity;

    /// <summary>Creates an empty index for vectors of <paramref name="dimensions"/> floats.</summary>
    public BaseIndex(int dimensions, int capacity = 64)
    {
        if (dimensions <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Dimensions must be positive.");
        }

        Dimensions = dimensions;
        capacity = Math.Max(capacity, 4);
        _rows = new float[capacity * dimensions];
        _projections = new float[capacity];
        _inverseNorms = new float[capacity];
        _timestamps = new double[capacity];
        _archived = new bool[capacity];
    }

    /// <summary>The vector length.</summary>
    public int Dimensions { get; }

    /// <summary>Nodes ever added (archived ones included); node indices are 0 … Count − 1.</summary>
    public int Count { get; private set; }

    /// <summary>Nodes that take part in retrieval.</summary>
    public int ActiveCount => Count - ArchivedCount;

    /// <summary>Nodes archived (forgotten or deleted): they keep their index but are never retrieved.</summary>
    public int ArchivedCount { get; private set; }

    /// <summary>The common direction removed from every vector, or empty when none is set.</summary>
    public ReadOnlySpan<float> CommonDirection => _direction;

    /// <summary>The newest node time, or null for an empty index.</summary>
    public DateTimeOffset? NewestTimestamp => Count == 0 ? null : FromSeconds(_newestTimestamp);

    /// <summary>
    /// Appends a node and returns its index. The embedding is copied and normalised (a zero vector, a text
    /// without known words, stays zero and scores a cosine of 0). Keywords should be distinct; duplicates are ignored.
    /// <paramref name="speaker"/> (who said it) feeds the speaker cue (<see cref="HelaMemOptions.SpeakerWeight"/>).
    /// </summary>
    public int Add(ReadOnlySpan<float> embedding, DateTimeOffset timestamp, IReadOnlyList<string> keywords, string? speaker = null)
    {
        ArgumentNullException.ThrowIfNull(keywords);
        CheckEmbedding(embedding);

        EnsureCapacity(Count + 1);
        var index = Count;
        WriteUnitRow(index, embedding);

        _timestamps[index] = ToSeconds(timestamp);
        _newestTimestamp = Math.Max(_newestTimestamp, _timestamps[index]);
        _archived[index] = false;
        _speakers.Set(index, speaker);
        Count++;
        UpdateProjection(index);

        foreach (var keyword in keywords)
        {
            ArgumentNullException.ThrowIfNull(keyword, nameof(keywords));
            if (!_postings.TryGetValue(keyword, out var list))
            {
                list = [];
                _postings.Add(keyword, list);
            }

            // Postings are appended in index order, so a duplicate can only be the last entry.
            if (list.Count == 0 || list[^1] != index)
            {
                list.Add(index);
            }
        }

        return index;
    }

    /// <summary>
    /// Replaces a node's embedding and keywords (a revised memory): the row is copied and normalised as in
    /// <see cref="Add"/>, the node leaves the postings of <paramref name="oldKeywords"/> and joins those of
    /// <paramref name="newKeywords"/> (postings stay in index order). Its time, index and archived flag are kept.
    /// </summary>
    public void Replace(int index, ReadOnlySpan<float> embedding, IReadOnlyList<string> oldKeywords, IReadOnlyList<string> newKeywords)
    {
        CheckIndex(index);
        ArgumentNullException.ThrowIfNull(oldKeywords);
        ArgumentNullException.ThrowIfNull(newKeywords);
        CheckEmbedding(embedding);

        WriteUnitRow(index, embedding);

        UpdateProjection(index);
        foreach (var keyword in oldKeywords)
        {
            if (_postings.TryGetValue(keyword, out var list))
            {
                var position = list.BinarySearch(index);
                if (position >= 0)
                {
                    list.RemoveAt(position);
                    if (list.Count == 0)
                    {
                        _postings.Remove(keyword);
                    }
                }
            }
        }

        foreach (var keyword in newKeywords)
        {
            ArgumentNullException.ThrowIfNull(keyword, nameof(newKeywords));
            if (!_postings.TryGetValue(keyword, out var list))
            {
                list = [];
                _postings.Add(keyword, list);
            }

            var position = list.BinarySearch(index);
            if (position < 0)
            {
                list.Insert(~position, index);
            }
        }
    }

    /// <summary>The stored (unit or zero) embedding of a node, without common-component removal.</summary>
    public ReadOnlySpan<float> GetRow(int index)
    {
        CheckIndex(index);
        return _rows.AsSpan(index * Dimensions, Dimensions);
    }

    /// <summary>All rows, contiguous, <see cref="Count"/> × <see cref="Dimensions"/>.</summary>
    public ReadOnlySpan<float> Rows => _rows.AsSpan(0, Count * Dimensions);

    /// <summary>The time of a node.</summary>
    public DateTimeOffset GetTimestamp(int index)
    {
        CheckIndex(index);
        return FromSeconds(_timestamps[index]);
    }

    /// <summary>True when the node no longer takes part in retrieval.</summary>
    public bool IsArchived(int index)
    {
        CheckIndex(index);
        return _archived[index];
    }

    /// <summary>Takes a node out of retrieval (forgetting); its data stays. Returns false if it already was.</summary>
    public bool Archive(int index)
    {
        CheckIndex(index);
        if (_archived[index])
        {
            return false;
        }

        _archived[index] = true;
        ArchivedCount++;
        return true;
    }

    /// <summary>Brings an archived node back into retrieval. Returns false if it was active.</summary>
    public bool Restore(int index)
    {
        CheckIndex(index);
        if (!_archived[index])
        {
            return false;
        }

        _archived[index] = false;
        ArchivedCount--;
        return true;
    }

    /// <summary>Hard delete: archives the node and erases its vector (its index is never reused).</summary>
    public void Erase(int index)
    {
        Archive(index);
        _rows.AsSpan(index * Dimensions, Dimensions).Clear();
        UpdateProjection(index);
    }

    /// <summary>Recomputes the common direction from the active rows (power iteration) and every node's projection on it.</summary>
    public void UpdateCommonComponent()
    {
        var direction = new float[Dimensions];
        if (CommonComponent.Compute(Rows, Dimensions, Count, i => !_archived[i], direction))
        {
            SetCommonComponent(direction);
        }
        else
        {
            ClearCommonComponent();
        }
    }

    /// <summary>Sets the common direction explicitly (e.g. restored from state); it is normalised.</summary>
    public void SetCommonComponent(ReadOnlySpan<float> direction)
    {
        if (direction.Length != Dimensions || !TensorPrimitives.IsFiniteAll(direction))
        {
            throw new ArgumentException($"The direction must be {Dimensions} finite floats.", nameof(direction));
        }

        var norm = TensorPrimitives.Norm(direction);
        if (!(norm > 1e-12f))
        {
            throw new ArgumentException("The common direction must not be zero.", nameof(direction));
        }

        _direction = new float[Dimensions];
        TensorPrimitives.Divide(direction, norm, _direction);
        for (var i = 0; i < Count; i++)
        {
            UpdateProjection(i);
        }
    }

    /// <summary>Stops removing a common component.</summary>
    public void ClearCommonComponent()
    {
        _direction = null;
        for (var i = 0; i < Count; i++)
        {
            UpdateProjection(i);
        }
    }

    /// <summary>
    /// Writes the cosine between <paramref name="query"/> and every node (common component removed) into
    /// <paramref name="cosines"/> (length ≥ <see cref="Count"/>). Archived nodes get negative infinity.
    /// </summary>
    public void ComputeCosines(ReadOnlySpan<float> query, Span<float> cosines)
    {
        if (query.Length != Dimensions)
        {
            throw new ArgumentException($"The query has {query.Length} dimensions; the index holds {Dimensions}.", nameof(query));
        }

        if (cosines.Length < Count)
        {
            throw new ArgumentException($"The score buffer holds {cosines.Length} entries; {Count} are needed.", nameof(cosines));
        }

        var n = Count;
        var output = cosines[..n];
        var rows = _rows.AsSpan(0, n * Dimensions);
        for (var i = 0; i < n; i++)
        {
            output[i] = TensorPrimitives.Dot(rows.Slice(i * Dimensions, Dimensions), query);
        }

        var queryNormSquared = TensorPrimitives.Dot(query, query);
        var queryProjection = _direction is null ? 0f : TensorPrimitives.Dot(query, _direction);
        var residualSquared = queryNormSquared - (queryProjection * queryProjection);
        var queryInverseNorm = residualSquared > 1e-12f ? 1f / MathF.Sqrt(residualSquared) : 0f;

        if (_direction is not null)
        {
            // q·e_i − p_q·p_i
            TensorPrimitives.MultiplyAdd(_projections.AsSpan(0, n), -queryProjection, output, output);
        }

        TensorPrimitives.Multiply(output, _inverseNorms.AsSpan(0, n), output);
        TensorPrimitives.Multiply(output, queryInverseNorm, output);
        MaskArchived(output);
    }

    /// <summary>
    /// Writes S_base for every node into <paramref name="scores"/> (length ≥ <see cref="Count"/>):
    /// ((cos + 1)/2 + α·|K_q ∩ K_i|/|K_q|)·γ_i. Archived nodes get negative infinity.
    /// </summary>
    /// <param name="query">The query embedding.</param>
    /// <param name="queryKeywords">The query's keywords (duplicates are counted once).</param>
    /// <param name="now">The retrieval time, used when γ is measured from "now".</param>
    /// <param name="options">α, the decay reference and τ.</param>
    /// <param name="scores">The output.</param>
    public void ComputeBaseScores(ReadOnlySpan<float> query, IReadOnlyList<string> queryKeywords, DateTimeOffset now, HelaMemOptions options, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(queryKeywords);
        ArgumentNullException.ThrowIfNull(options);
        ComputeCosines(query, scores);
        var output = scores[..Count];

        // sim = (cos + 1) / 2
        TensorPrimitives.Multiply(output, 0.5f, output);
        TensorPrimitives.Add(output, 0.5f, output);
        AddKeywordScores(queryKeywords, options.KeywordWeight, options.KeywordWeighting, output);
        _speakers.AddScores(queryKeywords, options.StemKeywords, options.SpeakerWeight, output);
        ApplyTemporalDecay(now, options, output);
        MaskArchived(output);
    }

    /// <summary>
    /// Adds α·kw(q, v_i) to every node's score through the postings of the query keywords: kw is
    /// |K_q ∩ K_i|/|K_q| (uniform) or the idf-weighted share of the query keywords (see <see cref="KeywordWeighting"/>).
    /// </summary>
    public void AddKeywordScores(IReadOnlyList<string> queryKeywords, float weight, KeywordWeighting weighting, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(queryKeywords);
        if (weight == 0)
        {
            return;
        }

        var total = 0.0;
        for (var k = 0; k < queryKeywords.Count; k++)
        {
            if (!IsRepeat(queryKeywords, k))
            {
                total += KeywordWeightOf(queryKeywords[k], weighting);
            }
        }

        if (total <= 0)
        {
            return;
        }

        for (var k = 0; k < queryKeywords.Count; k++)
        {
            if (IsRepeat(queryKeywords, k) || !_postings.TryGetValue(queryKeywords[k], out var postings))
            {
                continue;
            }

            var increment = (float)(weight * KeywordWeightOf(queryKeywords[k], weighting) / total);
            foreach (var index in CollectionsMarshal.AsSpan(postings))
            {
                scores[index] += increment;
            }
        }
    }

    /// <summary>The idf of a keyword among the indexed nodes: ln(1 + (N − n + 0.5)/(n + 0.5)).</summary>
    public double KeywordIdf(string keyword)
    {
        ArgumentNullException.ThrowIfNull(keyword);
        var n = _postings.TryGetValue(keyword, out var list) ? list.Count : 0;
        return Math.Log(1 + ((Count - n + 0.5) / (n + 0.5)));
    }

    private double KeywordWeightOf(string keyword, KeywordWeighting weighting) =>
        weighting == KeywordWeighting.Idf ? KeywordIdf(keyword) : 1.0;

    /// <summary>The nodes whose keywords include <paramref name="keyword"/>, in index order.</summary>
    public IReadOnlyList<int> Postings(string keyword) =>
        _postings.TryGetValue(keyword, out var list) ? list : [];

    private void ApplyTemporalDecay(DateTimeOffset now, HelaMemOptions options, Span<float> scores)
    {
        var reference = options.TemporalDecayReference switch
        {
            TemporalDecayReference.Now => ToSeconds(now),
            TemporalDecayReference.NewestMemory => _newestTimestamp,
            _ => double.NaN,
        };
        if (double.IsNaN(reference))
        {
            return;
        }

        var inverseTau = 1.0 / options.TemporalDecayTauSeconds;
        for (var i = 0; i < scores.Length; i++)
        {
            var age = Math.Max(0, reference - _timestamps[i]);
            scores[i] *= (float)Math.Exp(-age * inverseTau);
        }
    }

    private void MaskArchived(Span<float> scores)
    {
        if (ArchivedCount == 0)
        {
            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            if (_archived[i])
            {
                scores[i] = float.NegativeInfinity;
            }
        }
    }

    private void CheckEmbedding(ReadOnlySpan<float> embedding)
    {
        if (embedding.Length != Dimensions)
        {
            throw new ArgumentException($"The embedding has {embedding.Length} dimensions; the index holds {Dimensions}.", nameof(embedding));
        }

        if (!TensorPrimitives.IsFiniteAll(embedding))
        {
            throw new ArgumentException("The embedding contains NaN or infinite values.", nameof(embedding));
        }
    }

    // The row as a unit vector (a zero vector, a text without known words, stays zero and scores a cosine of 0).
    private void WriteUnitRow(int index, ReadOnlySpan<float> embedding)
    {
        var row = _rows.AsSpan(index * Dimensions, Dimensions);
        embedding.CopyTo(row);
        var norm = TensorPrimitives.Norm(row);
        if (norm > 1e-12f)
        {
            TensorPrimitives.Divide(row, norm, row);
        }
        else
        {
            row.Clear();
        }
    }

    private void UpdateProjection(int index)
    {
        var row = _rows.AsSpan(index * Dimensions, Dimensions);
        var normSquared = TensorPrimitives.Dot(row, row);
        var projection = _direction is null ? 0f : TensorPrimitives.Dot(row, _direction);
        var residualSquared = normSquared - (projection * projection);
        _projections[index] = projection;
        _inverseNorms[index] = residualSquared > 1e-12f ? 1f / MathF.Sqrt(residualSquared) : 0f;
    }

    // Quadratic, but query keyword lists are a handful of words and this avoids allocating a set per query.
    private static bool IsRepeat(IReadOnlyList<string> keywords, int k)
    {
        for (var j = 0; j < k; j++)
        {
            if (string.Equals(keywords[j], keywords[k], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private void EnsureCapacity(int needed)
    {
        if (needed <= _archived.Length)
        {
            return;
        }

        var capacity = Math.Max(needed, _archived.Length * 2);
        Array.Resize(ref _rows, capacity * Dimensions);
        Array.Resize(ref _projections, capacity);
        Array.Resize(ref _inverseNorms, capacity);
        Array.Resize(ref _timestamps, capacity);
        Array.Resize(ref _archived, capacity);
    }

    private void CheckIndex(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"No node {index}; the index holds {Count}.");
        }
    }

    private static double ToSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;

    private static DateTimeOffset FromSeconds(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000));
}
