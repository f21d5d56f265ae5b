using System.Globalization;
using System.Text;
using HelaMem.Client.Contracts;

namespace HelaMem.Client;

/// <summary>The query string of a memory listing: paging and the filter as repeatable parameters.</summary>
internal static class MemoryQuery
{
    public static string Of(MemoryFilter? filter, long offset, int limit)
    {
        var query = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"?offset={offset}&limit={limit}"));
        if (filter is null)
        {
            return query.ToString();
        }

        foreach (var (key, values) in filter.Metadata ?? new Dictionary<string, IReadOnlyList<string>>())
        {
            Add(query, "metadata." + key, values);
        }

        Add(query, "conversationId", filter.ConversationIds);
        Add(query, "speaker", filter.Speakers);
        Add(query, "role", filter.Roles);
        if (filter.From is { } from)
        {
            Add(query, "from", [from.ToString("O", CultureInfo.InvariantCulture)]);
        }

        if (filter.Until is { } until)
        {
            Add(query, "until", [until.ToString("O", CultureInfo.InvariantCulture)]);
        }

        return query.ToString();
    }

    private static void Add(StringBuilder query, string name, IReadOnlyList<string>? values)
    {
        foreach (var value in values ?? [])
        {
            query.Append('&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(value));
        }
    }
}
