using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;

namespace HelaMem.Grains.Graph;

/// <summary>
/// Merges into semantic memory, ordered against hard deletes: the graph is the one place that knows which memories
/// are gone, so a distilled item never outlives the memories it came from.
/// </summary>
public sealed partial class UserGraphGrain
{
    // Memories whose hard delete has begun and not finished: a merge that interleaves with the delete drops them.
    private readonly HashSet<long> _deletingNodes = [];

    // The user is being deleted: every merge is dropped.
    private bool _deletingUser;

    // The last merge on its way to the semantic-memory grain; a delete waits for it, so the removal it sends arrives
    // after the items it must remove (Orleans does not order two calls to one grain by themselves).
    private Task _semanticMerge = Task.CompletedTask;

    /// <inheritdoc />
    public Task<int> MergeSemantic(IReadOnlyList<SemanticEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries)
        {
            if (entry?.Item is null || string.IsNullOrWhiteSpace(entry.Item.Text) || entry.Embedding is null)
            {
                throw new ArgumentException("Every entry needs non-empty text and an embedding.", nameof(entries));
            }
        }

        var live = _deletingUser ? [] : LiveEntries(entries);
        if (live.Count == 0)
        {
            return Task.FromResult(0);
        }

        // Before the await: a delete that starts meanwhile sees that the semantic memory may hold its items.
        _semanticMayHoldItems = true;
        var merge = GrainFactory.GetGrain<ISemanticMemoryGrain>(GrainKey).Merge(live);
        _semanticMerge = merge;
        return merge;
    }

    // Each entry with only the sources that are still live memories; entries left without one go.
    private List<SemanticEntry> LiveEntries(IReadOnlyList<SemanticEntry> entries)
    {
        var live = new List<SemanticEntry>(entries.Count);
        foreach (var entry in entries)
        {
            long[] sources = [.. entry.Item.Sources.Where(IsLiveSource)];
            if (sources.Length == entry.Item.Sources.Count)
            {
                live.Add(entry);
            }
            else if (sources.Length > 0)
            {
                live.Add(entry with { Item = entry.Item with { Sources = sources } });
            }
        }

        return live;
    }

    private bool IsLiveSource(long node) =>
        node >= 0 && node < _nodes.Count && !_nodes[(int)node].Deleted && !_deletingNodes.Contains(node);

    // Lets a merge already sent reach the semantic memory before a delete sends its removal. Its failure is its
    // caller's (consolidation defers and retries); the delete goes on either way.
    private async Task AwaitSemanticMergeAsync()
    {
        try
        {
            await _semanticMerge;
        }
        catch (Exception)
        {
            // Reported to consolidation, which called the merge.
        }
    }
}
