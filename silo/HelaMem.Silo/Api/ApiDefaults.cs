namespace HelaMem.Silo.Api;

/// <summary>Limits of the API that are not tenant quotas.</summary>
internal static class ApiDefaults
{
    /// <summary>Largest page of memories.</summary>
    public const int MaxPageSize = 500;

    /// <summary>Largest top-k a search may ask for.</summary>
    public const int MaxTopK = 100;

    /// <summary>Most searches in one batch search (each is a full retrieval and learning step).</summary>
    public const int MaxBatchSearches = 10;

    /// <summary>Most messages in one asynchronous ingest (stored in chunks of the tenant's maxMessagesPerIngest).</summary>
    public const int MaxAsyncIngestMessages = 10_000;

    /// <summary>Longest metadata key or value, role or conversation id.</summary>
    public const int MaxShortText = 256;
}
