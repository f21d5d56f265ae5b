using System.Numerics.Tensors;
using HelaMem.Core.Memory;
using HelaMem.Core.Semantic;

namespace HelaMem.Core.Consolidation;

/// <summary>
/// The offline distillation of a cluster of turns into semantic memory (no LLM): each turn is read with
/// <see cref="StatementExtractor"/> (profile items per speaker keyed by slot, dated facts, agent knowledge). Facts
/// come from the cluster's most central turns first (summed cosine to the other members), at most
/// <c>maxFacts</c> of them; profile items and agent knowledge are all kept.
/// </summary>
public static class ExtractiveDistiller
{
    /// <summary>
    /// Distills the cluster (node objects and their unit embeddings, hub first); at most <paramref name="maxFacts"/>
    /// facts (null: <see cref="HelaMemOptions.FactsPerCluster"/>).
    /// </summary>
    public static List<SemanticItem> Distill(IReadOnlyList<MemoryNode> cluster, Func<int, ReadOnlyMemory<float>> embeddingOf, HelaMemOptions options, int? maxFacts = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(embeddingOf);
        ArgumentNullException.ThrowIfNull(options);
        var items = new List<SemanticItem>();
        if (cluster.Count == 0)
        {
            return items;
        }

        // Centrality: summed cosine to the other members; the facts of the most central turns summarise the cluster best.
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

        var extracted = cluster.Select(node => StatementExtractor.Extract(node, options.AgentSpeakers)).ToArray();
        var factBudget = maxFacts ?? options.FactsPerCluster;
        var facts = Enumerable.Range(0, cluster.Count)
            .OrderByDescending(i => centrality[i])
            .ThenBy(i => cluster[i].Index)
            .SelectMany(i => extracted[i].Where(item => item.Kind == SemanticKind.Fact))
            .Take(factBudget)
            .ToHashSet();

        // In conversation order, so that a later statement on a slot replaces an earlier one when they are merged.
        foreach (var i in Enumerable.Range(0, cluster.Count).OrderBy(i => cluster[i].Timestamp).ThenBy(i => cluster[i].Index))
        {
            items.AddRange(extracted[i].Where(item => item.Kind != SemanticKind.Fact || facts.Contains(item)));
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
