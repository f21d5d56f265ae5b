using System.Globalization;
using HelaMem.Abstractions.Contracts;
using ClientFilter = HelaMem.Client.Contracts.MemoryFilter;

namespace HelaMem.Silo.Api;

/// <summary>
/// The API's memory filter: from a search body (<c>filter</c>) or a listing's query string (<c>conversationId</c>,
/// <c>speaker</c>, <c>role</c>, <c>from</c>, <c>until</c>, <c>metadata.{key}</c>, each repeatable), checked by the
/// same rules the graph applies and handed to it.
/// </summary>
internal static class Filters
{
    /// <summary>The prefix of a metadata condition in a query string: <c>metadata.topic=travel</c>.</summary>
    public const string MetadataPrefix = "metadata.";

    private static readonly string[] Known = ["offset", "limit", "conversationId", "speaker", "role", "from", "until"];

    /// <summary>The graph's filter for <paramref name="filter"/> (null when it restricts nothing); an invalid one is a 400.</summary>
    public static MemoryFilter? ToGraph(ClientFilter? filter)
    {
        if (filter is null)
        {
            return null;
        }

        var graph = new MemoryFilter(filter.Metadata, filter.ConversationIds, filter.Speakers, filter.Roles, filter.From, filter.Until);
        if (MemoryFilterRules.Problem(graph) is { } problem)
        {
            throw ApiProblemException.BadRequest(problem);
        }

        return graph.IsEmpty ? null : graph;
    }

    /// <summary>The filter a listing's query string states (null when none); an unknown parameter or a bad value is a 400.</summary>
    public static ClientFilter? FromQuery(IQueryCollection query)
    {
        Dictionary<string, IReadOnlyList<string>>? metadata = null;
        foreach (var (name, values) in query)
        {
            if (name.StartsWith(MetadataPrefix, StringComparison.Ordinal))
            {
                var key = name[MetadataPrefix.Length..];
                if (key.Length == 0)
                {
                    throw ApiProblemException.BadRequest($"query parameter '{name}' names no metadata key; write metadata.<key>=<value>.");
                }

                (metadata ??= new(StringComparer.Ordinal))[key] = [.. values.Select(v => v ?? "")];
            }
            else if (!Known.Contains(name, StringComparer.Ordinal))
            {
                throw ApiProblemException.BadRequest(
                    $"query parameter '{name}' is not known; a listing takes offset, limit, conversationId, speaker, role, from, until and metadata.<key>.");
            }
        }

        var filter = new ClientFilter(metadata, Many(query, "conversationId"), Many(query, "speaker"), Many(query, "role"), Time(query, "from"), Time(query, "until"));
        return filter is { Metadata: null, ConversationIds: null, Speakers: null, Roles: null, From: null, Until: null } ? null : filter;
    }

    private static IReadOnlyList<string>? Many(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Any(string.IsNullOrEmpty))
        {
            throw ApiProblemException.BadRequest($"query parameter '{name}' is empty; give a value (repeat the parameter for alternatives).");
        }

        return [.. values.Select(v => v!)];
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1 || !DateTimeOffset.TryParse(values[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            throw ApiProblemException.BadRequest($"query parameter '{name}' must be one date and time in ISO 8601 (for example 2023-05-08T13:56:00Z); it is '{values}'.");
        }

        return time;
    }
}
