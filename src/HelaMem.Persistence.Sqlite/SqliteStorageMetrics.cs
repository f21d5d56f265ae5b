using System.Diagnostics.Metrics;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The group-commit writer's instruments on the <c>HelaMem.Persistence.Sqlite</c> meter, tagged with the
/// provider's name: how many transactions and operations, how large the batches, how long a commit (with its
/// fsync) takes, how many writes lost their ETag check, and how many writes are waiting.
/// </summary>
internal sealed class SqliteStorageMetrics : IDisposable
{
    public const string MeterName = "HelaMem.Persistence.Sqlite";
    public const string ProviderTag = "helamem.storage.provider";

    private readonly Meter _meter;
    private readonly KeyValuePair<string, object?> _provider;
    private readonly Counter<long> _transactions;
    private readonly Counter<long> _failedTransactions;
    private readonly Counter<long> _operations;
    private readonly Counter<long> _conflicts;
    private readonly Histogram<int> _batchSize;
    private readonly Histogram<double> _commitDuration;

    public SqliteStorageMetrics(string providerName, Func<int> pendingWrites)
    {
        _meter = new Meter(MeterName);
        _provider = new(ProviderTag, providerName);
        _transactions = _meter.CreateCounter<long>("helamem.storage.sqlite.transactions", "{transaction}", "Group-commit transactions committed.");
        _failedTransactions = _meter.CreateCounter<long>("helamem.storage.sqlite.transactions.failed", "{transaction}", "Group-commit transactions rolled back because SQLite failed; every write in them failed.");
        _operations = _meter.CreateCounter<long>("helamem.storage.sqlite.operations", "{operation}", "Writes and clears checked inside committed transactions.");
        _conflicts = _meter.CreateCounter<long>("helamem.storage.sqlite.conflicts", "{operation}", "Writes and clears rejected because their ETag no longer matched.");
        _batchSize = _meter.CreateHistogram<int>("helamem.storage.sqlite.batch.size", "{operation}", "Operations per committed transaction.");
        _commitDuration = _meter.CreateHistogram<double>("helamem.storage.sqlite.commit.duration", "s", "Time to run and commit one batch, fsync included.");
        _meter.CreateObservableGauge("helamem.storage.sqlite.pending", () => new Measurement<int>(pendingWrites(), _provider), "{operation}", "Writes queued or being committed.");
    }

    public void Committed(int operations, int conflicts, TimeSpan duration)
    {
        _transactions.Add(1, _provider);
        _operations.Add(operations, _provider);
        if (conflicts > 0)
        {
            _conflicts.Add(conflicts, _provider);
        }

        _batchSize.Record(operations, _provider);
        _commitDuration.Record(duration.TotalSeconds, _provider);
    }

    public void Failed() => _failedTransactions.Add(1, _provider);

    public void Dispose() => _meter.Dispose();
}
