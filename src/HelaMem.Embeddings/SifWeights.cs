namespace HelaMem.Embeddings;

/// <summary>
/// Smooth inverse frequency weights (Arora, Liang and Ma, 2017) with word probabilities estimated from frequency
/// rank by Zipf's law, as in the LoCoMo reference configuration: p(w) = 1 / (rank · H) with
/// H = ln(V) + 0.5772 (the harmonic number of V), and weight = a / (a + p(w)).
/// </summary>
public static class SifWeights
{
    /// <summary>The Euler–Mascheroni constant as written in the reference definition (four decimals).</summary>
    public const double EulerGamma = 0.5772;

    /// <summary>The SIF weight of the word of 1-based frequency <paramref name="rank"/> in a vocabulary of <paramref name="vocabularySize"/> words.</summary>
    public static double Weight(int rank, int vocabularySize, double a)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rank, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(vocabularySize, 1);
        var harmonic = Math.Log(vocabularySize) + EulerGamma;
        var probability = 1.0 / (rank * harmonic);
        return a / (a + probability);
    }
}
