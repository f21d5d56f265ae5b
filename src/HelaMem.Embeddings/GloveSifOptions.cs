namespace HelaMem.Embeddings;

/// <summary>
/// Options of the GloVe-SIF embedder. The defaults are the LoCoMo reference configuration
/// (shared/datasets/locomo/README.md); change them only for experiments that say so.
/// </summary>
public sealed record GloveSifOptions
{
    /// <summary>How many words of the frequency-ordered package vocabulary are used (V in the SIF weight).</summary>
    public int VocabularySize { get; init; } = 200_000;

    /// <summary>The SIF smoothing constant a in a / (a + p(w)).</summary>
    public double A { get; init; } = 1e-3;

    /// <summary>Throws a clear <see cref="ArgumentOutOfRangeException"/> for values the embedder cannot use.</summary>
    public void Validate()
    {
        if (VocabularySize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(VocabularySize), VocabularySize, "The vocabulary size must be at least 1.");
        }

        if (!double.IsFinite(A) || A <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(A), A, "The SIF constant a must be a positive finite number.");
        }
    }
}
