using System.Diagnostics.Metrics;
using HelaMem.Grains.Diagnostics;

namespace HelaMem.Silo.Diagnostics.Activity;

/// <summary>
/// Feeds the <see cref="ActivityRecorder"/> from instruments that other projects own and record: the SQLite
/// provider's commit duration and the LLM token counter (<see cref="GrainMetrics.LlmTokens"/>, tagged by tenant).
/// Listening keeps those projects free of the silo's types; a listener sees every measurement of the process. It
/// listens while the host runs.
/// </summary>
internal sealed class ActivityMeterListener : IHostedService, IDisposable
{
    /// <summary>The SQLite provider's meter and its commit-duration histogram (HelaMem.Persistence.Sqlite).</summary>
    public const string StorageMeter = "HelaMem.Persistence.Sqlite";

    private const string CommitDuration = "helamem.storage.sqlite.commit.duration";

    private readonly MeterListener _listener = new();
    private readonly ActivityRecorder _recorder;

    public ActivityMeterListener(ActivityRecorder recorder)
    {
        _recorder = recorder;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if ((instrument.Meter.Name == StorageMeter && instrument.Name == CommitDuration)
                || (instrument.Meter.Name == GrainMetrics.MeterName && instrument.Name == GrainMetrics.LlmTokensName))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => _recorder.Committed(seconds));
        _listener.SetMeasurementEventCallback<long>(OnTokens);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _listener.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _listener.Dispose();

    private void OnTokens(Instrument instrument, long tokens, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string? tenant = null;
        string? type = null;
        foreach (var tag in tags)
        {
            if (tag.Key == GrainMetrics.TenantTag)
            {
                tenant = tag.Value as string;
            }
            else if (tag.Key == GrainMetrics.TokenTypeTag)
            {
                type = tag.Value as string;
            }
        }

        if (tenant is null)
        {
            return;
        }

        if (type == "output")
        {
            _recorder.UsedTokens(tenant, 0, tokens);
        }
        else
        {
            _recorder.UsedTokens(tenant, tokens, 0);
        }
    }
}
