using HelaMem.Core.Text;

namespace HelaMem.Core.Retrieval;

/// <summary>
/// Who said each memory, for the speaker cue: a query that names a speaker ("What has Melanie painted?") is about what
/// that speaker said, so the speaker's own memories get σ added to their base score. Names in a conversation's text
/// are everywhere (greetings, replies, inherited keywords), so the name as a keyword cannot tell the speaker's turns
/// from the turns that address them; the speaker field can.
/// </summary>
internal sealed class SpeakerCue
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<string[]?>[] _keywordsByStemming = [[], []];
    private int[] _speakerOf = new int[64];

    /// <summary>Records the speaker of node <paramref name="index"/> (null or blank: nobody).</summary>
    public void Set(int index, string? speaker)
    {
        if (index >= _speakerOf.Length)
        {
            Array.Resize(ref _speakerOf, Math.Max(index + 1, _speakerOf.Length * 2));
        }

        _speakerOf[index] = string.IsNullOrWhiteSpace(speaker) ? -1 : IdOf(speaker.Trim());
    }

    /// <summary>Adds <paramref name="weight"/> to the score of every node spoken by a speaker the query names.</summary>
    public void AddScores(IReadOnlyList<string> queryKeywords, bool stemmed, float weight, Span<float> scores)
    {
        if (weight == 0 || _names.Count == 0 || queryKeywords.Count == 0)
        {
            return;
        }

        Span<bool> named = _names.Count <= 256 ? stackalloc bool[_names.Count] : new bool[_names.Count];
        var any = false;
        for (var id = 0; id < _names.Count; id++)
        {
            var keywords = KeywordsOf(id, stemmed);
            named[id] = keywords.Length > 0 && keywords.All(queryKeywords.Contains);
            any |= named[id];
        }

        if (!any)
        {
            return;
        }

        for (var i = 0; i < scores.Length; i++)
        {
            var speaker = _speakerOf[i];
            if (speaker >= 0 && named[speaker])
            {
                scores[i] += weight;
            }
        }
    }

    private int IdOf(string speaker)
    {
        if (!_ids.TryGetValue(speaker, out var id))
        {
            id = _names.Count;
            _ids.Add(speaker, id);
            _names.Add(speaker);
            _keywordsByStemming[0].Add(null);
            _keywordsByStemming[1].Add(null);
        }

        return id;
    }

    // The speaker's name as query keywords come out of the extractor (with the graph's stemming), computed once.
    private string[] KeywordsOf(int id, bool stemmed)
    {
        var cache = _keywordsByStemming[stemmed ? 1 : 0];
        return cache[id] ??= [.. KeywordExtractor.Extract(_names[id], stemmed)];
    }
}
