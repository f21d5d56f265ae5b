using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

public sealed class SqliteStorageMetricsTests : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly string _providerName = $"metrics-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<(string Instrument, double Value)> _measurements = new();
    private readonly MeterListener _listener = new();

    public SqliteStorageMetricsTests()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SqliteGrainStorage.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose()
    {
        _listener.Dispose();
        _directory.Dispose();
    }

    [Fact]
    public async Task The_writer_reports_transactions_operations_conflicts_batch_sizes_and_commit_times_under_the_provider_name()
    {
        await using var storage = await SqliteTestStores.StartedStorageAsync(
            _directory.Path,
            options =>
            {
                options.MaxBatchSize = 5;
                options.MaxBatchDelay = TimeSpan.FromSeconds(10);
            },
            name: _providerName);
        var writes = Enumerable.Range(0, 4).Select(i => storage.WriteAsync(GrainId.Create("g", $"k{i}"), "x", null)).ToList();
        var conflict = storage.WriteAsync(GrainId.Create("g", "k0"), "y", null);

        await Task.WhenAll(writes);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflict);
        _listener.RecordObservableInstruments();

        Assert.Equal(1, Sum("helamem.storage.sqlite.transactions"));
        Assert.Equal(5, Sum("helamem.storage.sqlite.operations"));
        Assert.Equal(1, Sum("helamem.storage.sqlite.conflicts"));
        Assert.Equal([5.0], Values("helamem.storage.sqlite.batch.size"));
        Assert.True(Values("helamem.storage.sqlite.commit.duration").Single() > 0);
        Assert.Equal(0, Sum("helamem.storage.sqlite.transactions.failed"));
        Assert.Contains("helamem.storage.sqlite.pending", _measurements.Select(m => m.Instrument));
    }

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "helamem.storage.provider" && Equals(tag.Value, _providerName))
            {
                _measurements.Enqueue((instrument.Name, value));
            }
        }
    }

    private double Sum(string instrument) => Values(instrument).Sum();

    private List<double> Values(string instrument) => [.. _measurements.Where(m => m.Instrument == instrument).Select(m => m.Value)];
}
