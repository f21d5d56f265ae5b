using HelaMem.Abstractions.Contracts;
using HelaMem.Grains.State;

namespace HelaMem.Grains.Graph;

/// <summary>The graph's record of ingests by idempotency key, kept in its state for <see cref="IdempotencyLimits.Retention"/>.</summary>
internal static class IdempotencyLedger
{
    /// <summary>Checks the options before anything happens; throws <see cref="ArgumentException"/> for a bad key or a missing hash.</summary>
    public static void Validate(IngestOptions? options)
    {
        if (options?.IdempotencyKey is not { } key)
        {
            return;
        }

        if (IdempotencyLimits.Problem(key) is { } problem)
        {
            throw new ArgumentException($"The idempotency key {problem}.", nameof(options));
        }

        if (string.IsNullOrEmpty(options.RequestHash))
        {
            throw new ArgumentException("An ingest with an idempotency key needs the request's hash.", nameof(options));
        }
    }

    /// <summary>
    /// The receipt of an earlier ingest with the same key and hash (marked replayed), or null when the key is new or
    /// expired. The same key with another hash throws <see cref="IdempotencyConflictException"/>.
    /// </summary>
    public static IngestReceipt? Replay(GraphState graph, IngestOptions? options, DateTimeOffset now)
    {
        if (options?.IdempotencyKey is not { } key || graph.Idempotency is null || !graph.Idempotency.TryGetValue(key, out var record)
            || now - record.At > IdempotencyLimits.Retention)
        {
            return null;
        }

        if (!string.Equals(record.RequestHash, options.RequestHash, StringComparison.Ordinal))
        {
            throw new IdempotencyConflictException(
                $"The idempotency key '{key}' was used at {record.At:O} with a different request; use a new key for a new request. Nothing was stored.");
        }

        return new IngestReceipt(record.NodeIds, record.NodeCount, record.Duplicates, Replayed: true);
    }

    /// <summary>Records the receipt under the options' key (when there is one), forgetting expired and, past the cap, the oldest keys.</summary>
    public static void Record(GraphState graph, IngestOptions? options, IngestReceipt receipt, DateTimeOffset now)
    {
        if (options?.IdempotencyKey is not { } key)
        {
            return;
        }

        var records = graph.Idempotency ??= new Dictionary<string, IdempotencyRecord>(StringComparer.Ordinal);
        foreach (var expired in records.Where(r => now - r.Value.At > IdempotencyLimits.Retention).Select(r => r.Key).ToList())
        {
            records.Remove(expired);
        }

        while (records.Count >= IdempotencyLimits.MaxKeysPerGraph)
        {
            records.Remove(records.MinBy(r => r.Value.At).Key);
        }

        records[key] = new IdempotencyRecord
        {
            RequestHash = options.RequestHash!,
            NodeIds = [.. receipt.NodeIds],
            NodeCount = receipt.NodeCount,
            Duplicates = receipt.Duplicates is { Count: > 0 } duplicates ? [.. duplicates] : null,
            At = now,
        };
    }
}
