using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// The providers' instruments on the <c>HelaMem.Persistence.Postgres</c> meter, tagged with the provider's name
/// and the operation: how long reads and writes take, how many writes lost their ETag check, and how many calls
/// failed because PostgreSQL was unavailable.
/// </summary>
internal sealed class PostgresStorageMetrics : IDisposable
{
    public const string MeterName = "HelaMem.Persistence.Postgres";
    public const string ProviderTag = "helamem.storage.provider";
    public const string OperationTag = "helamem.storage.operation";

    private readonly Meter _meter;
    private readonly string _provider;
    private readonly Histogram<double> _readDuration;
    private readonly Histogram<double> _writeDuration;
    private readonly Counter<long> _conflicts;
    private readonly Counter<long> _unavailable;

    public PostgresStorageMetrics(string providerName)
    {
        _provider = providerName;
        _meter = new Meter(MeterName);
        _readDuration = _meter.CreateHistogram<double>("helamem.storage.postgres.read.duration", "s", "Time to read one grain state, reminder set or membership snapshot.");
        _writeDuration = _meter.CreateHistogram<double>("helamem.storage.postgres.write.duration", "s", "Time to run and commit one write, clear, upsert or membership change.");
        _conflicts = _meter.CreateCounter<long>("helamem.storage.postgres.conflicts", "{operation}", "Writes refused because their ETag (or the membership table version) no longer matched.");
        _unavailable = _meter.CreateCounter<long>("helamem.storage.postgres.unavailable", "{operation}", "Calls that failed because PostgreSQL was unreachable or stopped answering.");
    }

    public void Read(string operation, long startTimestamp) => _readDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, Tags(operation));

    public void Wrote(string operation, long startTimestamp) => _writeDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, Tags(operation));

    public void Conflict(string operation) => _conflicts.Add(1, Tags(operation));

    public void Unavailable(string operation) => _unavailable.Add(1, Tags(operation));

    private TagList Tags(string operation) => new() { { ProviderTag, _provider }, { OperationTag, operation } };

    public void Dispose() => _meter.Dispose();
}
