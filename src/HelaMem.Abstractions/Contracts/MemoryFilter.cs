using Orleans;

namespace HelaMem.Abstractions.Contracts;

/// <summary>
/// Which memories a search or a listing considers, applied inside the user graph before top-k (a filtered search still
/// returns up to k items of the memories that match). Every condition given must hold; within one condition the values
/// are alternatives. A condition that is null or empty does not restrict.
/// </summary>
/// <param name="Metadata">Per metadata key, the values a memory's value for that key must be one of (one value: equality).</param>
/// <param name="Conversations">The conversation ids a memory must belong to (ordinal).</param>
/// <param name="Speakers">The speakers a memory must be said by (case-insensitive).</param>
/// <param name="Roles">The roles a memory must have been ingested with (case-insensitive).</param>
/// <param name="From">Only memories said at or after this time.</param>
/// <param name="Until">Only memories said before this time.</param>
[GenerateSerializer, Immutable, Alias("helamem.MemoryFilter")]
public sealed record MemoryFilter(
    [Id(0)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Metadata = null,
    [Id(1)] IReadOnlyList<string>? Conversations = null,
    [Id(2)] IReadOnlyList<string>? Speakers = null,
    [Id(3)] IReadOnlyList<string>? Roles = null,
    [Id(4)] DateTimeOffset? From = null,
    [Id(5)] DateTimeOffset? Until = null)
{
    /// <summary>True when no condition restricts anything.</summary>
    public bool IsEmpty =>
        (Metadata is null || Metadata.Count == 0) && (Conversations is null || Conversations.Count == 0) && (Speakers is null || Speakers.Count == 0)
        && (Roles is null || Roles.Count == 0) && From is null && Until is null;
}

/// <summary>Fixed bounds of a filter, so a filter costs a bounded amount per memory it checks.</summary>
public static class FilterLimits
{
    /// <summary>Most metadata keys in one filter.</summary>
    public const int MaxMetadataKeys = 16;

    /// <summary>Most values in one condition (per metadata key, conversations, speakers, roles).</summary>
    public const int MaxValues = 100;
}

/// <summary>A page of a user's memories in id order: the ones matching <paramref name="Filter"/>, deleted ones left out.</summary>
/// <param name="Offset">How many matching memories to skip.</param>
/// <param name="Limit">At most this many ids (at least 1).</param>
/// <param name="Filter">Which memories count (null: all).</param>
[GenerateSerializer, Immutable, Alias("helamem.MemoryListQuery")]
public sealed record MemoryListQuery([Id(0)] long Offset, [Id(1)] int Limit, [Id(2)] MemoryFilter? Filter = null);

/// <summary>The ids of one page of memories, and how many memories match in all.</summary>
[GenerateSerializer, Immutable, Alias("helamem.MemoryIdPage")]
public sealed record MemoryIdPage([Id(0)] IReadOnlyList<long> NodeIds, [Id(1)] long Total);

/// <summary>The rules of a valid filter, stated once for the API (its 400s) and the grains (their argument checks).</summary>
public static class MemoryFilterRules
{
    /// <summary>Why <paramref name="filter"/> is invalid, naming the field as the API spells it (under <c>filter.</c>), or null when it is valid.</summary>
    public static string? Problem(MemoryFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        if (filter.Metadata is { } metadata)
        {
            if (metadata.Count > FilterLimits.MaxMetadataKeys)
            {
                return $"field 'filter.metadata' has {metadata.Count} keys; at most {FilterLimits.MaxMetadataKeys} are allowed.";
            }

            foreach (var (key, values) in metadata)
            {
                if (string.IsNullOrWhiteSpace(key))
                {
                    return "field 'filter.metadata' has an empty key; keys name a metadata entry.";
                }

                if (key.Length > IngestLimits.MaxMetadataKeyLength)
                {
                    return $"field 'filter.metadata' has a key of {key.Length} characters; at most {IngestLimits.MaxMetadataKeyLength} are allowed.";
                }

                if (ValuesProblem(values, $"filter.metadata['{key}']", IngestLimits.MaxMetadataValueLength, allowEmptyValue: true) is { } problem)
                {
                    return problem;
                }
            }
        }

        return ValuesProblem(filter.Conversations, "filter.conversationIds", IngestLimits.MaxMetadataValueLength, allowEmptyValue: false)
            ?? ValuesProblem(filter.Speakers, "filter.speakers", IngestLimits.MaxMetadataValueLength, allowEmptyValue: false)
            ?? ValuesProblem(filter.Roles, "filter.roles", IngestLimits.MaxMetadataValueLength, allowEmptyValue: false)
            ?? (filter is { From: { } from, Until: { } until } && from >= until
                ? $"field 'filter.from' ({from:O}) must be before 'filter.until' ({until:O})."
                : null);
    }

    private static string? ValuesProblem(IReadOnlyList<string>? values, string field, int maxLength, bool allowEmptyValue)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count > FilterLimits.MaxValues)
        {
            return $"field '{field}' lists {values.Count} values; at most {FilterLimits.MaxValues} are allowed.";
        }

        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (value is null || (!allowEmptyValue && value.Length == 0))
            {
                return $"field '{field}[{i}]' is {(value is null ? "null" : "empty")}; values are non-empty strings.";
            }

            if (value.Length > maxLength)
            {
                return $"field '{field}[{i}]' is {value.Length} characters long; at most {maxLength} are allowed.";
            }
        }

        return null;
    }
}
