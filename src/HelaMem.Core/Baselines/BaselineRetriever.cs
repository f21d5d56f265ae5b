using System.Numerics.Tensors;
using HelaMem.Core.Retrieval;
using HelaMem.Core.Text;

namespace HelaMem.Core.Baselines;

/// <summary>
/// BM25, dense-only and hybrid retrieval over the same nodes as a <see cref="BaseIndex"/> (same vectors, same
/// common-component removal), so that they differ from HeLa-Mem only in how they score.
/// </summary>
public sealed class BaselineRetriever
{
    private readonly BaseIndex _index;
    private readonly Bm25Index _bm25 = new();
    private float[] _dense = [];
    private float[] _lexical = [];
    private ScoredIndex[] _top = [];

    /// <summary>Wraps <paramref name="index"/>; add every node's text with <see cref="AddDocument"/> in index order.</summary>
    public BaselineRetriever(BaseIndex index)
    {
        ArgumentNullException.ThrowIfNull(index);
        _index = index;
    }

    /// <summary>Indexes the text of the next node for BM25.</summary>
    public void AddDocument(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (_bm25.Count >= _index.Count)
        {
            throw new InvalidOperationException("Add the node to the base index before its BM25 document, in the same order.");
        }

        _bm25.Add(KeywordExtractor.ContentTokens(text));
    }

    /// <summary>The top <paramref name="k"/> node indices for the query, best first.</summary>
    public int Retrieve(BaselineMethod method, ReadOnlySpan<float> queryVector, string queryText, int k, Span<int> destination)
    {
        ArgumentNullException.ThrowIfNull(queryText);
        if (_bm25.Count != _index.Count)
        {
            throw new InvalidOperationException($"BM25 holds {_bm25.Count} documents but the index {_index.Count} nodes.");
        }

        var n = _index.Count;
        if (_dense.Length < n)
        {
            _dense = new float[n];
            _lexical = new float[n];
        }

        if (_top.Length < k)
        {
            _top = new ScoredIndex[k];
        }

        var scores = _dense.AsSpan(0, n);
        switch (method)
        {
            case BaselineMethod.Dense:
                _index.ComputeCosines(queryVector, scores);
                break;
            case BaselineMethod.Bm25:
                _bm25.Score(KeywordExtractor.ContentTokens(queryText), scores);
                break;
            case BaselineMethod.Hybrid:
                var lexical = _lexical.AsSpan(0, n);
                _bm25.Score(KeywordExtractor.ContentTokens(queryText), lexical);
                _index.ComputeCosines(queryVector, scores);
                TensorPrimitives.Multiply(scores, 0.25f, scores);
                TensorPrimitives.Add(scores, 0.25f, scores);
                var max = n == 0 ? 0f : TensorPrimitives.Max(lexical);
                if (max > 0f)
                {
                    TensorPrimitives.MultiplyAdd(lexical, 0.5f / max, scores, scores);
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown baseline.");
        }

        var count = TopK.Select(scores, k, _top);
        for (var i = 0; i < count; i++)
        {
            destination[i] = _top[i].Index;
        }

        return count;
    }
}
