namespace HelaMem.Core.Baselines;

/// <summary>
/// Okapi BM25 over documents given as token lists (stopwords already removed), with the LoCoMo reference
/// parameters: k1 = 1.2, b = 0.75 and the non-negative idf ln(1 + (N − n + 0.5)/(n + 0.5)). A query term
/// that occurs twice counts twice, as in the common Python ports.
/// </summary>
public sealed class Bm25Index
{
    private readonly Dictionary<string, List<(int Document, int Frequency)>> _postings = new(StringComparer.Ordinal);
    private readonly List<int> _lengths = [];
    private long _totalLength;

    /// <summary>Creates an empty index.</summary>
    public Bm25Index(double k1 = 1.2, double b = 0.75)
    {
        if (!(k1 >= 0) || double.IsInfinity(k1))
        {
            throw new ArgumentOutOfRangeException(nameof(k1), k1, "k1 must be a finite, non-negative number.");
        }

        if (!(b >= 0 && b <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(b), b, "b must be between 0 and 1.");
        }

        K1 = k1;
        B = b;
    }

    /// <summary>Term-frequency saturation.</summary>
    public double K1 { get; }

    /// <summary>Length normalisation.</summary>
    public double B { get; }

    /// <summary>Documents indexed; document ids are 0 … Count − 1.</summary>
    public int Count => _lengths.Count;

    /// <summary>Adds a document and returns its id.</summary>
    public int Add(IReadOnlyList<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var document = _lengths.Count;
        var frequencies = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            ArgumentNullException.ThrowIfNull(token, nameof(tokens));
            frequencies[token] = frequencies.GetValueOrDefault(token) + 1;
        }

        // Sorted so that the postings' layout does not depend on hash order.
        foreach (var (term, frequency) in frequencies.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var list))
            {
                list = [];
                _postings.Add(term, list);
            }

            list.Add((document, frequency));
        }

        _lengths.Add(tokens.Count);
        _totalLength += tokens.Count;
        return document;
    }

    /// <summary>idf of a term: ln(1 + (N − n + 0.5)/(n + 0.5)).</summary>
    public double Idf(string term)
    {
        ArgumentNullException.ThrowIfNull(term);
        var n = _postings.TryGetValue(term, out var list) ? list.Count : 0;
        return Math.Log(1 + ((Count - n + 0.5) / (n + 0.5)));
    }

    /// <summary>Writes every document's score for <paramref name="queryTokens"/> into <paramref name="scores"/> (length ≥ Count).</summary>
    public void Score(IReadOnlyList<string> queryTokens, Span<float> scores)
    {
        ArgumentNullException.ThrowIfNull(queryTokens);
        if (scores.Length < Count)
        {
            throw new ArgumentException($"The score buffer holds {scores.Length} entries; {Count} are needed.", nameof(scores));
        }

        scores[..Count].Clear();
        if (Count == 0)
        {
            return;
        }

        var averageLength = Math.Max(1e-9, (double)_totalLength / Count);
        foreach (var term in queryTokens)
        {
            if (!_postings.TryGetValue(term, out var list))
            {
                continue;
            }

            var idf = Idf(term);
            foreach (var (document, frequency) in list)
            {
                var norm = K1 * (1 - B + (B * _lengths[document] / averageLength));
                scores[document] += (float)(idf * frequency * (K1 + 1) / (frequency + norm));
            }
        }
    }
}
