using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;
using HelaMem.Core;
using HelaMem.Core.Context;
using HelaMem.Core.Text;
using HelaMem.Silo.Diagnostics;
using HelaMem.Silo.Grains;

namespace HelaMem.Silo.Api;

/// <summary>Search, explanation and usage feedback.</summary>
internal sealed partial class MemoryService
{
    /// <summary>Searches the owner's memory.</summary>
    public async Task<SearchResult> SearchAsync(string tenant, MemoryOwner owner, SearchRequest? request)
    {
        var key = Key(tenant, owner);
        var filter = CheckSearch(request, "");
        await RequireUserAsync(key);
        return await RunSearchAsync(key, request!, filter);
    }

    /// <summary>Several searches of one user, checked together before the first runs, answered in order.</summary>
    public async Task<BatchSearchResult> SearchBatchAsync(string tenant, MemoryOwner owner, BatchSearchRequest? request)
    {
        var key = Key(tenant, owner);
        var searches = request?.Searches;
        if (searches is null || searches.Count is 0 or > ApiDefaults.MaxBatchSearches)
        {
            throw ApiProblemException.BadRequest(
                $"field 'searches' must hold 1 … {ApiDefaults.MaxBatchSearches} searches; it holds {searches?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
        }

        var filters = new HelaMem.Abstractions.Contracts.MemoryFilter?[searches.Count];
        for (var i = 0; i < searches.Count; i++)
        {
            filters[i] = CheckSearch(searches[i], $"searches[{i}].");
        }

        await RequireUserAsync(key);
        var results = new SearchResult[searches.Count];
        for (var i = 0; i < searches.Count; i++)
        {
            // In order, as separate retrievals: each learns as a single search would, and sees what the ones before it learned.
            results[i] = await RunSearchAsync(key, searches[i]!, filters[i]);
        }

        return new BatchSearchResult(results);
    }

    // Checks one search completely (nothing is asked of a grain) and returns its graph filter.
    private static HelaMem.Abstractions.Contracts.MemoryFilter? CheckSearch(SearchRequest? request, string prefix)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.Query))
        {
            throw ApiProblemException.BadRequest(prefix.Length == 0 ? "The body needs a non-empty 'query'." : $"field '{prefix}query' is missing or empty.");
        }

        TextRules.RequireStorable(request.Query, $"{prefix}query");
        if (request.TopK is < 1 or > ApiDefaults.MaxTopK)
        {
            throw ApiProblemException.BadRequest($"field '{prefix}topK' must be an integer between 1 and {ApiDefaults.MaxTopK}; it is {request.TopK}.");
        }

        try
        {
            return Filters.ToGraph(request.Filter);
        }
        catch (ApiProblemException problem) when (prefix.Length > 0)
        {
            throw ApiProblemException.BadRequest(problem.Message.Replace("'filter.", $"'{prefix}filter.", StringComparison.Ordinal));
        }
    }

    private async Task<SearchResult> RunSearchAsync(HelaMem.Abstractions.Keys.GraphKey key, SearchRequest request, HelaMem.Abstractions.Contracts.MemoryFilter? filter)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var graph = Grains.GetGrain<IUserGraphGrain>(key.ToString());
        // The graph returns its whole selection (k base-pathway items by base score, then up to m flipped ones) and
        // learns from all of it. The API orders that selection by the score it shows (ties by id), keeps the first
        // topK and assembles the context from exactly those, the way the graph assembles it (Core's ContextAssembler).
        var response = await graph.Retrieve(new RetrieveRequest(request.Query!, request.Now ?? clock.GetUtcNow(), Filter: filter));
        var selected = response.Items.Count;
        List<RetrievedItem> retrieved = [.. response.Items
            .OrderByDescending(i => i.Score)
            .ThenBy(i => i.NodeId)
            .Take(request.TopK ?? selected)];
        var annotations = await Grains.GetGrain<IMemoryAnnotationGrain>(key.ToString()).Lookup([.. retrieved.Select(i => i.NodeId)]);
        // The graph's profile decides how its keywords were extracted (stemmed or not): match the query the same way.
        var stem = RetrievalProfiles.Apply(HelaMemOptions.Default, response.RetrievalProfile ?? RetrievalProfiles.PaperName).StemKeywords;
        var explanations = request.Explain == true ? await ExplainAsync(key.ToString(), request.Query!, stem, retrieved, response.RetrievalId) : null;

        var items = new MemoryItem[retrieved.Count];
        for (var i = 0; i < retrieved.Count; i++)
        {
            var item = retrieved[i];
            var annotation = annotations[i];
            items[i] = new MemoryItem(item.NodeId, item.Pathway == RetrievalPathway.Base ? "base" : "flip", item.Score, item.BaseScore,
                item.Content, item.Speaker, item.Timestamp, item.Conversation ?? annotation?.ConversationId, item.Role ?? annotation?.Role,
                MetadataOf(item.Metadata, annotation), explanations?[i]);
        }

        var context = retrieved.Count == selected
            ? (Text: response.Context, Tokens: response.ContextTokens)
            : AssembleContext(response, retrieved);
        var semantic = request.IncludeSemantic != false;
        var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        SiloMetrics.SearchDuration.Record(seconds);
        activity.Searched(key.Tenant, seconds);
        return new SearchResult(
            response.RetrievalId,
            items,
            semantic ? [.. response.Knowledge.Select(ToSemantic)] : [],
            semantic ? [.. response.Profile.Select(ToSemantic)] : [],
            context.Text,
            context.Tokens,
            response.RetrievalProfile ?? RetrievalProfiles.PaperName,
            selected,
            key.Owner.ScopeText,
            response.Degraded,
            response.DegradedReason);
    }

    /// <summary>Reinforce on use.</summary>
    public async Task ReportUsageAsync(string tenant, MemoryOwner owner, UsageReport? report)
    {
        var key = Key(tenant, owner);
        if (report?.RetrievalId is not { } retrievalId || retrievalId < 1)
        {
            throw ApiProblemException.BadRequest("The body needs the 'retrievalId' of a search (a positive number).");
        }

        if (report.NodeIds is null || report.NodeIds.Count == 0 || report.NodeIds.Count > ApiDefaults.MaxTopK)
        {
            throw ApiProblemException.BadRequest($"The body needs 'nodeIds': 1 … {ApiDefaults.MaxTopK} memory ids of that search.");
        }

        var stats = await RequireUserAsync(key);
        foreach (var id in report.NodeIds)
        {
            if (id < 0 || id >= stats.Nodes)
            {
                throw ApiProblemException.BadRequest($"Memory {id} does not exist for {owner.Describe()}.");
            }
        }

        await Grains.GetGrain<IUserGraphGrain>(key.ToString()).ReportUsage(retrievalId, report.NodeIds);
    }

    // The context of the returned items only: profile, knowledge and those memories, assembled as the graph does.
    private static (string Text, int Tokens) AssembleContext(RetrievalResponse response, List<RetrievedItem> items)
    {
        var context = ContextAssembler.Assemble(
            response.Profile.Select(ToCoreSemantic),
            response.Knowledge.Select(ToCoreSemantic),
            items.Select(i => new HelaMem.Core.Memory.MemoryNode(checked((int)i.NodeId), i.Content, i.Speaker, i.Timestamp, [])));
        return (context.Text, context.Tokens);
    }

    private static HelaMem.Core.Semantic.SemanticItem ToCoreSemantic(SemanticItemData item) =>
        new(item.Kind switch
        {
            SemanticItemKind.Profile => HelaMem.Core.Semantic.SemanticKind.Profile,
            SemanticItemKind.Fact => HelaMem.Core.Semantic.SemanticKind.Fact,
            _ => HelaMem.Core.Semantic.SemanticKind.AgentKnowledge,
        }, item.Text, [.. item.Sources.Select(s => (int)s)]);

    internal static SemanticItem ToSemantic(SemanticItemData item) => new(
        item.Kind switch
        {
            SemanticItemKind.Profile => "profile",
            SemanticItemKind.Fact => "fact",
            _ => "agentKnowledge",
        },
        item.Text,
        item.Sources,
        item.Subject,
        item.Slot,
        item.Score,
        Reason(item));

    // Why a semantic item is in a search result, in words a caller can show.
    private static string? Reason(SemanticItemData item)
    {
        if (item.Score is not { } score)
        {
            return null;
        }

        var cosine = score.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);
        return item.Kind == SemanticItemKind.Profile
            ? $"profile item returned with every context: among the closest to the query (cosine {cosine})"
            : $"among the semantic items closest to the query (cosine {cosine})";
    }

    private async Task<ItemExplanation[]> ExplainAsync(string graphKey, string query, bool stemKeywords, List<RetrievedItem> items, long step)
    {
        var key = GraphKey.Parse(graphKey);
        var queryKeywords = KeywordExtractor.Extract(query, stemKeywords);
        var nodes = await Task.WhenAll(items.Select(i => Grains.GetGrain<IMemoryNodeGrain>(key.Node(i.NodeId).ToString()).Read(step)));
        var baseScores = items.ToDictionary(i => i.NodeId, i => i.BaseScore);
        var explanations = new ItemExplanation[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var node = nodes[i];
            var nodeKeywords = node is null ? [] : new HashSet<string>(node.IndexedKeywords, StringComparer.Ordinal);
            string[] matched = [.. queryKeywords.Where(nodeKeywords.Contains).Distinct(StringComparer.Ordinal)];
            NeighbourLink[] neighbours = node is null
                ? []
                : [.. node.Edges
                    .Where(e => baseScores.ContainsKey(e.Neighbour) && e.Neighbour != item.NodeId)
                    .Select(e => new NeighbourLink(e.Neighbour, e.Weight, baseScores[e.Neighbour]))
                    .OrderByDescending(n => n.Weight * n.NeighbourBaseScore)];
            explanations[i] = new ItemExplanation(item.BaseScore, item.Score - item.BaseScore, matched,
                queryKeywords.Length == 0 ? 0 : (double)matched.Length / queryKeywords.Length, neighbours);
        }

        return explanations;
    }
}
