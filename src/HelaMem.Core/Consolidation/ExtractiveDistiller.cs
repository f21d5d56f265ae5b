using System.Numerics.Tensors;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// The offline distillation of a hub cluster into semantic memory (no LLM): the cluster's most central
/// turns become facts (dated), first-person statements of preference or identity become profile items, and
/// the assistant's statements about itself become agent knowledge.
/// </summary>
public static class ExtractiveDistiller
{
    private static readonly string[] ProfileCues =
    [
        "i love", "i like", "i enjoy", "i prefer", "i hate", "i value", "i believe", "my favorite", "my favourite",
        "i'm a ", "i am a ", "i'm into", "i care about", "my passion", "my dream",
    ];

    private static readonly string[] AgentCues = ["i am ", "i'm ", "i can ", "i cannot ", "i can't ", "my name", "i was built", "i don't "];

    /// <summary>Distills the cluster (node objects and their unit embeddings, hub first).</summary>
    public static List<SemanticItem> Distill(IReadOnlyList<MemoryNode> cluster, Func<int, ReadOnlyMemory<float>> embeddingOf, HelaMemOptions options)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(embeddingOf);
        ArgumentNullException.ThrowIfNull(options);
        var items = new List<SemanticItem>();
        if (cluster.Count == 0)
        {
            return items;
        }

        // Centrality: summed cosine to the other members; the most central turns summarise the cluster best.
        var centrality = new float[cluster.Count];
        for (var a = 0; a < cluster.Count; a++)
        {
            var rowA = embeddingOf(cluster[a].Index).Span;
            for (var b = a + 1; b < cluster.Count; b++)
            {
                var cosine = TensorPrimitives.Dot(rowA, embeddingOf(cluster[b].Index).Span);
                centrality[a] += cosine;
                centrality[b] += cosine;
            }
        }

        var order = Enumerable.Range(0, cluster.Count)
            .OrderByDescending(i => centrality[i])
            .ThenBy(i => cluster[i].Index)
            .Take(options.FactsPerCluster);
        foreach (var i in order)
        {
            var node = cluster[i];
            items.Add(new SemanticItem(SemanticKind.Fact, $"{node.Timestamp:yyyy-MM-dd} {node.Content}", [node.Index]));
        }

        foreach (var node in cluster)
        {
            var isAgent = options.AgentSpeakers.Contains(node.Speaker, StringComparer.OrdinalIgnoreCase);
            foreach (var sentence in Sentences(node.Content))
            {
                var lower = sentence.ToLowerInvariant();
                if (isAgent && AgentCues.Any(lower.Contains))
                {
                    items.Add(new SemanticItem(SemanticKind.AgentKnowledge, sentence, [node.Index]));
                }
                else if (!isAgent && ProfileCues.Any(lower.Contains))
                {
                    var text = sentence.StartsWith(node.Speaker + ":", StringComparison.Ordinal) ? sentence : $"{node.Speaker}: {sentence}";
                    items.Add(new SemanticItem(SemanticKind.Profile, text, [node.Index]));
                }
            }
        }

        return items;
    }

    /// <summary>Splits on sentence-ending punctuation followed by white space.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                var sentence = text[start..(i + 1)].Trim();
                if (sentence.Length > 0)
                {
                    yield return sentence;
                }

                start = i + 1;
            }
        }

        var rest = text[start..].Trim();
        if (rest.Length > 0)
        {
            yield return rest;
        }
    }
}
