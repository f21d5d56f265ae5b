namespace HelaMem.Benchmarks.Core;

/// <summary>
/// Deterministic synthetic turns for benchmarks at sizes no real conversation has: 12-word sentences over a
/// 5,000-word vocabulary with Zipf-like frequencies (a few words everywhere, most words rare), like chat text.
/// </summary>
public static class SyntheticConversation
{
    private const int VocabularySize = 5000;
    private const int WordsPerTurn = 12;

    /// <summary>The <paramref name="count"/> turns of seed <paramref name="seed"/>.</summary>
    public static string[] Turns(int count, int seed)
    {
        var random = new Random(seed);
        var vocabulary = Enumerable.Range(0, VocabularySize).Select(Word).ToArray();

        // Zipf: P(rank r) ∝ 1/r, sampled through the cumulative distribution.
        var cumulative = new double[VocabularySize];
        var total = 0.0;
        for (var r = 0; r < VocabularySize; r++)
        {
            total += 1.0 / (r + 1);
            cumulative[r] = total;
        }

        var turns = new string[count];
        var words = new string[WordsPerTurn];
        for (var t = 0; t < count; t++)
        {
            for (var w = 0; w < WordsPerTurn; w++)
            {
                var index = Array.BinarySearch(cumulative, random.NextDouble() * total);
                words[w] = vocabulary[index < 0 ? Math.Min(~index, VocabularySize - 1) : index];
            }

            turns[t] = (t % 2 == 0 ? "Alice: " : "Bob: ") + string.Join(' ', words);
        }

        return turns;
    }

    // Pronounceable, distinct, never a stopword: consonant-vowel syllables from the index.
    private static string Word(int index)
    {
        const string consonants = "bdfgklmnprstvz";
        const string vowels = "aeiou";
        var chars = new List<char>();
        var value = index + 100;
        while (value > 0)
        {
            chars.Add(consonants[value % consonants.Length]);
            value /= consonants.Length;
            chars.Add(vowels[value % vowels.Length]);
            value /= vowels.Length;
        }

        return new string([.. chars]);
    }
}
