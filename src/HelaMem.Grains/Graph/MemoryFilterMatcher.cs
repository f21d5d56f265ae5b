using HelaMem.Abstractions.Contracts;

namespace HelaMem.Grains.Graph;

/// <summary>
/// A <see cref="MemoryFilter"/> compiled for repeated checks against the graph's node summaries: hash sets per
/// condition, so a filtered retrieval costs one pass of set lookups over the nodes.
/// </summary>
internal sealed class MemoryFilterMatcher
{
    private readonly (string Key, HashSet<string> Values)[] _metadata;
    private readonly HashSet<string>? _conversations;
    private readonly HashSet<string>? _speakers;
    private readonly HashSet<string>? _roles;
    private readonly DateTimeOffset? _from;
    private readonly DateTimeOffset? _until;

    private MemoryFilterMatcher(MemoryFilter filter)
    {
        _metadata = filter.Metadata is { Count: > 0 } metadata
            ? [.. metadata.Where(m => m.Value is { Count: > 0 }).Select(m => (m.Key, new HashSet<string>(m.Value, StringComparer.Ordinal)))]
            : [];
        _conversations = SetOf(filter.Conversations, StringComparer.Ordinal);
        _speakers = SetOf(filter.Speakers, StringComparer.OrdinalIgnoreCase);
        _roles = SetOf(filter.Roles, StringComparer.OrdinalIgnoreCase);
        _from = filter.From;
        _until = filter.Until;
    }

    /// <summary>The matcher of <paramref name="filter"/>, or null when it restricts nothing.</summary>
    /// <exception cref="ArgumentException">The filter breaks <see cref="MemoryFilterRules"/>.</exception>
    public static MemoryFilterMatcher? Create(MemoryFilter? filter)
    {
        if (MemoryFilterRules.Problem(filter) is { } problem)
        {
            throw new ArgumentException(problem, nameof(filter));
        }

        return filter is null || filter.IsEmpty ? null : new MemoryFilterMatcher(filter);
    }

    /// <summary>Whether the node matches every condition.</summary>
    public bool Matches(NodeSummary node)
    {
        if ((_from is { } from && node.Timestamp < from) || (_until is { } until && node.Timestamp >= until))
        {
            return false;
        }

        if ((_conversations is not null && (node.Conversation is null || !_conversations.Contains(node.Conversation)))
            || (_speakers is not null && !_speakers.Contains(node.Speaker))
            || (_roles is not null && (node.Role is null || !_roles.Contains(node.Role))))
        {
            return false;
        }

        foreach (var (key, values) in _metadata)
        {
            if (node.Metadata is null || !node.Metadata.TryGetValue(key, out var value) || !values.Contains(value))
            {
                return false;
            }
        }

        return true;
    }

    private static HashSet<string>? SetOf(IReadOnlyList<string>? values, StringComparer comparer) =>
        values is { Count: > 0 } ? new HashSet<string>(values, comparer) : null;
}
