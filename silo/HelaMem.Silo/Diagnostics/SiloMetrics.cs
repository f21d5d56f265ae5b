using System.Diagnostics.Metrics;

namespace HelaMem.Silo.Diagnostics;

/// <summary>
/// The API's own instruments (meter <c>HelaMem.Silo</c>): how long searches and ingests take as the API sees them
/// (grain calls included) and how many messages are stored. No tenant or user tag: their number is unbounded.
/// </summary>
internal static class SiloMetrics
{
    /// <summary>The meter's name, for exporters.</summary>
    public const string MeterName = "HelaMem.Silo";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Search latency: the graph's retrieval and the API's assembly of the answer.</summary>
    public static Histogram<double> SearchDuration { get; } = Meter.CreateHistogram<double>("helamem.search.duration", "s", "Time to answer one search (one per search of a batch).");

    /// <summary>Ingest latency until the messages are durable.</summary>
    public static Histogram<double> IngestDuration { get; } = Meter.CreateHistogram<double>("helamem.ingest.duration", "s", "Time to store one synchronous ingest durably.");

    /// <summary>Messages in acknowledged ingests.</summary>
    public static Counter<long> IngestedMessages { get; } = Meter.CreateCounter<long>("helamem.ingest.messages", "{message}", "Messages in acknowledged synchronous ingests.");
}
