using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Tests.Servers;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>The instruments on the HelaMem.Persistence.Postgres meter: read and write durations and conflicts, tagged with the provider and operation.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresStorageMetricsTests : IDisposable
{
    private readonly PostgresFixture _fixture;
    private readonly string _providerName = $"metrics-{Guid.NewGuid():N}";
    private readonly ConcurrentQueue<(string Instrument, double Value, string? Operation)> _measurements = new();
    private readonly MeterListener _listener = new();

    public PostgresStorageMetricsTests(PostgresFixture fixture)
    {
        _fixture = fixture;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PostgresGrainStorage.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();

    [Fact]
    public async Task Grain_storage_reports_read_and_write_durations_and_conflicts_under_its_name()
    {
        await using var storage = await PostgresTestStores.StartedStorageAsync(_fixture.Server, PostgresTestStores.NewServiceId(), name: _providerName);
        var grain = new ConformanceScope().Grain();

        var eTag = await storage.WriteAsync(grain, "v1", null);
        await storage.WriteAsync(grain, "v2", eTag);
        await storage.ReadAsync(grain);
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteAsync(grain, "stale", eTag));
        await storage.ClearAsync(grain, (await storage.ReadAsync(grain)).ETag);

        Assert.Equal(2, Values("helamem.storage.postgres.write.duration", "write").Count);
        Assert.Single(Values("helamem.storage.postgres.write.duration", "clear"));
        Assert.Equal(2, Values("helamem.storage.postgres.read.duration", "read").Count);
        Assert.All(Values("helamem.storage.postgres.write.duration", "write"), seconds => Assert.InRange(seconds, 0, 30));
        Assert.Equal([1.0], Values("helamem.storage.postgres.conflicts", "write"));
        Assert.Empty(Values("helamem.storage.postgres.unavailable", "write"));
    }

    private List<double> Values(string instrument, string operation) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Operation == operation).Select(m => m.Value)];

    private void Record<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        string? provider = null;
        string? operation = null;
        foreach (var tag in tags)
        {
            if (tag.Key == "helamem.storage.provider")
            {
                provider = tag.Value as string;
            }
            else if (tag.Key == "helamem.storage.operation")
            {
                operation = tag.Value as string;
            }
        }

        if (provider == _providerName)
        {
            _measurements.Enqueue((instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), operation));
        }
    }
}
