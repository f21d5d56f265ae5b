namespace HelaMem.Cli.Answering;

/// <summary>
/// The Porter stemmer (M. F. Porter, "An algorithm for suffix stripping", 1980) as in its author's reference
/// implementation, which stems <c>-bli</c> to <c>-ble</c> and <c>-logi</c> to <c>-log</c> in step 2. LoCoMo's answer
/// F1 stems both sides with NLTK's PorterStemmer, whose extensions differ on a few rare forms (e.g. "dying", "say");
/// both answers go through the same stemmer, so the F1 of ordinary answers is the same. Expects lower-case ASCII words;
/// other words are returned unchanged.
/// </summary>
public static class PorterStemmer
{
    // Step 2 and 3 rules: a suffix and its replacement, applied when the stem before the suffix has measure > 0. The
    // first suffix the word ends with decides (the reference implementation's order), even when its condition fails.
    private static readonly (string Suffix, string Replacement)[] Step2Rules =
    [
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("izer", "ize"), ("bli", "ble"),
        ("alli", "al"), ("entli", "ent"), ("eli", "e"), ("ousli", "ous"), ("ization", "ize"), ("ation", "ate"),
        ("ator", "ate"), ("alism", "al"), ("iveness", "ive"), ("fulness", "ful"), ("ousness", "ous"), ("aliti", "al"),
        ("iviti", "ive"), ("biliti", "ble"), ("logi", "log"),
    ];

    private static readonly (string Suffix, string Replacement)[] Step3Rules =
    [
        ("icate", "ic"), ("ative", ""), ("alize", "al"), ("iciti", "ic"), ("ical", "ic"), ("ful", ""), ("ness", ""),
    ];

    // Step 4: removed when the stem's measure is > 1 ("ion" only after s or t).
    private static readonly string[] Step4Suffixes =
    [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ion", "ou", "ism", "ate", "iti",
        "ous", "ive", "ize",
    ];

    /// <summary>The stem of <paramref name="word"/>.</summary>
    public static string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        if (word.Length <= 2 || word.Any(c => c is < 'a' or > 'z'))
        {
            return word;
        }

        var w = new Word(word);
        Step1(w);
        ApplyFirst(w, Step2Rules, minimumMeasure: 1);
        ApplyFirst(w, Step3Rules, minimumMeasure: 1);
        Step4(w);
        Step5(w);
        return w.ToString();
    }

    private static void Step1(Word w)
    {
        // 1a: plurals.
        if (w.EndsWith("sses") || w.EndsWith("ies"))
        {
            w.Cut(2);
        }
        else if (w.Last == 's' && !w.EndsWith("ss"))
        {
            w.Cut(1);
        }

        // 1b: -eed, -ed, -ing.
        if (w.EndsWith("eed"))
        {
            if (w.Measure(w.Length - 3) > 0)
            {
                w.Cut(1);
            }
        }
        else if (CutIfVowelBefore(w, "ed") || CutIfVowelBefore(w, "ing"))
        {
            if (w.EndsWith("at") || w.EndsWith("bl") || w.EndsWith("iz"))
            {
                w.Append('e');
            }
            else if (w.EndsWithDoubleConsonant() && w.Last is not ('l' or 's' or 'z'))
            {
                w.Cut(1);
            }
            else if (w.Measure(w.Length) == 1 && w.EndsConsonantVowelConsonant(w.Length))
            {
                w.Append('e');
            }
        }

        // 1c: a terminal y after a vowel-bearing stem becomes i.
        if (w.EndsWith("y") && w.HasVowel(w.Length - 1))
        {
            w.Replace(1, "i");
        }
    }

    private static bool CutIfVowelBefore(Word w, string suffix)
    {
        if (!w.EndsWith(suffix) || !w.HasVowel(w.Length - suffix.Length))
        {
            return false;
        }

        w.Cut(suffix.Length);
        return true;
    }

    private static void ApplyFirst(Word w, (string Suffix, string Replacement)[] rules, int minimumMeasure)
    {
        foreach (var (suffix, replacement) in rules)
        {
            if (w.EndsWith(suffix))
            {
                if (w.Measure(w.Length - suffix.Length) >= minimumMeasure)
                {
                    w.Replace(suffix.Length, replacement);
                }

                return;
            }
        }
    }

    private static void Step4(Word w)
    {
        foreach (var suffix in Step4Suffixes)
        {
            if (!w.EndsWith(suffix))
            {
                continue;
            }

            var stem = w.Length - suffix.Length;
            if (suffix == "ion" && (stem == 0 || w[stem - 1] is not ('s' or 't')))
            {
                // "-ion" without s/t before it: the reference goes on to the next rule of its letter ("ou"), which
                // cannot match a word ending in "ion".
                return;
            }

            if (w.Measure(stem) > 1)
            {
                w.Cut(suffix.Length);
            }

            return;
        }
    }

    private static void Step5(Word w)
    {
        // 5a: a final e goes when the measure is > 1, or 1 and the stem does not end consonant-vowel-consonant.
        if (w.Last == 'e')
        {
            var measure = w.Measure(w.Length);
            if (measure > 1 || (measure == 1 && !w.EndsConsonantVowelConsonant(w.Length - 1)))
            {
                w.Cut(1);
            }
        }

        // 5b: -ll becomes -l when the measure is > 1.
        if (w.Last == 'l' && w.EndsWithDoubleConsonant() && w.Measure(w.Length) > 1)
        {
            w.Cut(1);
        }
    }

    /// <summary>A word being stemmed: a buffer and its current length.</summary>
    private sealed class Word(string text)
    {
        private readonly char[] _chars = [.. text, '\0'];

        public int Length { get; private set; } = text.Length;

        public char Last => _chars[Length - 1];

        public char this[int index] => _chars[index];

        public override string ToString() => new(_chars, 0, Length);

        public bool EndsWith(string suffix) =>
            suffix.Length <= Length && _chars.AsSpan(Length - suffix.Length, suffix.Length).SequenceEqual(suffix);

        public void Cut(int count) => Length -= count;

        public void Append(char c) => _chars[Length++] = c;

        public void Replace(int count, string replacement)
        {
            // Replacements are never longer than what they replace, plus the one spare slot Append uses.
            Length -= count;
            replacement.CopyTo(_chars.AsSpan(Length));
            Length += replacement.Length;
        }

        /// <summary>A consonant: not a, e, i, o, u, and not a y that follows a consonant.</summary>
        public bool IsConsonant(int i) => _chars[i] switch
        {
            'a' or 'e' or 'i' or 'o' or 'u' => false,
            'y' => i == 0 || !IsConsonant(i - 1),
            _ => true,
        };

        /// <summary>m of the first <paramref name="end"/> letters, [C](VC)^m[V]: the number of vowel-consonant sequences.</summary>
        public int Measure(int end)
        {
            var measure = 0;
            var i = 0;
            while (i < end && IsConsonant(i))
            {
                i++;
            }

            while (i < end)
            {
                while (i < end && !IsConsonant(i))
                {
                    i++;
                }

                if (i == end)
                {
                    break;
                }

                measure++;
                while (i < end && IsConsonant(i))
                {
                    i++;
                }
            }

            return measure;
        }

        public bool HasVowel(int end)
        {
            for (var i = 0; i < end; i++)
            {
                if (!IsConsonant(i))
                {
                    return true;
                }
            }

            return false;
        }

        public bool EndsWithDoubleConsonant() =>
            Length >= 2 && _chars[Length - 1] == _chars[Length - 2] && IsConsonant(Length - 1);

        /// <summary>*o: the first <paramref name="end"/> letters end consonant-vowel-consonant, the last not w, x or y.</summary>
        public bool EndsConsonantVowelConsonant(int end) =>
            end >= 3 && IsConsonant(end - 3) && !IsConsonant(end - 2) && IsConsonant(end - 1) && _chars[end - 1] is not ('w' or 'x' or 'y');
    }
}
