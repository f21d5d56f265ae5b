using System.Globalization;
using HelaMem.Abstractions.Contracts;
using HelaMem.Core.Context;

namespace HelaMem.Cli.Evaluation;

/// <summary>
/// One retrieval read two ways at the same context size (words): the episodic items alone, and the semantic items
/// (profile, then knowledge) first with episodic items filling what is left of the same budget. Each way's evidence is
/// the dia_ids of its episodic items plus, for semantic items, the dia_ids of the memories they were distilled from.
/// </summary>
public static class SemanticBudget
{
    /// <summary>What one way of reading a retrieval covers.</summary>
    /// <param name="DiaIds">The turns it covers.</param>
    /// <param name="Words">Its context size in words.</param>
    /// <param name="SemanticItems">Semantic items it holds.</param>
    public readonly record struct Coverage(HashSet<string> DiaIds, int Words, int SemanticItems);

    /// <summary>
    /// The episodic-only coverage and the semantic-first coverage within the episodic one's word count; with
    /// <paramref name="includeProfile"/> false only facts and agent knowledge go first (the profile left out).
    /// </summary>
    public static (Coverage Episodic, Coverage WithSemantic) Read(RetrievalResponse response, Func<long, string?> diaIdOf, bool includeProfile = true)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(diaIdOf);
        var episodic = new HashSet<string>(StringComparer.Ordinal);
        var budget = 0;
        foreach (var item in response.Items)
        {
            budget += Words(item);
            Add(episodic, diaIdOf(item.NodeId));
        }

        var covered = new HashSet<string>(StringComparer.Ordinal);
        var used = 0;
        var semantic = 0;
        foreach (var item in (includeProfile ? response.Profile : []).Concat(response.Knowledge))
        {
            var words = TokenCounter.Count(item.Text);
            if (used + words > budget)
            {
                continue;
            }

            used += words;
            semantic++;
            foreach (var source in item.Sources)
            {
                Add(covered, diaIdOf(source));
            }
        }

        foreach (var item in response.Items)
        {
            var words = Words(item);
            if (used + words > budget)
            {
                // In rank order: the budget is full once the next item does not fit.
                break;
            }

            used += words;
            Add(covered, diaIdOf(item.NodeId));
        }

        return (new Coverage(episodic, budget, 0), new Coverage(covered, used, semantic));
    }

    // An episodic item as the context shows it: "[yyyy-MM-dd] content".
    private static int Words(RetrievedItem item) =>
        TokenCounter.Count(string.Create(CultureInfo.InvariantCulture, $"[{item.Timestamp:yyyy-MM-dd}] {item.Content}"));

    private static void Add(HashSet<string> set, string? diaId)
    {
        if (diaId is not null)
        {
            set.Add(diaId);
        }
    }
}
