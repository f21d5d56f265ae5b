using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using HelaMem.Runtime.Messaging;
using HelaMem.Runtime.Tests.Grains;

namespace HelaMem.Runtime.Tests;

/// <summary>The HelaMem.Runtime meter and activity source. Instruments are process-wide, so counts are lower bounds.</summary>
public sealed class ObservabilityTests
{
    [Fact]
    public async Task The_meter_reports_activations_calls_latency_storage_rejections_and_reminder_ticks()
    {
        var measurements = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == RuntimeInstrumentation.Name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => measurements.AddOrUpdate(instrument.Name, value, (_, sum) => sum + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => measurements.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1));
        listener.Start();

        await using (var harness = await Harness.StartAsync(options: o => o.MaxPendingRequestsPerActivation = 1))
        {
            await harness.Grains.GetGrain<IStateGrain>("metrics").IncrementAndWrite();
            await harness.Grains.GetGrain<IReminderGrain>("metrics").Start(periodMs: 100);
            await harness.Probe.WaitForCountAsync("ticks:metrics", 1);
            await harness.Grains.GetGrain<IReminderGrain>("metrics").Cancel();

            var gate = harness.Grains.GetGrain<IGateGrain>("metrics", "gate");
            await gate.Ping();
            var blocked = gate.Block("m");
            await harness.Probe.WaitAsync("entered m");
            var queued = gate.Ping();
            await Assert.ThrowsAsync<GrainQueueFullException>(() => gate.Ping());
            harness.Probe.Set("open m");
            await Task.WhenAll(blocked, queued);
        }

        foreach (var name in new[]
        {
            "helamem.runtime.activations.created", "helamem.runtime.activations.deactivated", "helamem.runtime.calls",
            "helamem.runtime.call.duration", "helamem.runtime.storage.operations", "helamem.runtime.storage.duration",
            "helamem.runtime.queue.rejections", "helamem.runtime.reminder.ticks",
        })
        {
            Assert.True(measurements.TryGetValue(name, out var value) && value > 0, $"no measurement of {name}");
        }
    }

    [Fact]
    public async Task Every_call_produces_a_client_span_and_a_server_span_in_the_same_trace()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == RuntimeInstrumentation.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        await using var harness = await Harness.StartAsync(silos: 2);

        await harness.Grains.GetGrain<IContextGrain>("trace-a").RelayTo("trace-b");

        var spans = stopped.Where(a => a.GetTagItem("helamem.grain_id") is string id && id.Contains("trace-", StringComparison.Ordinal)).ToList();
        var server = spans.Single(a => a.Kind == ActivityKind.Server && (string)a.GetTagItem("helamem.grain_id")! == "context/trace-b");
        var client = spans.Single(a => a.Kind == ActivityKind.Client && (string)a.GetTagItem("helamem.grain_id")! == "context/trace-b");
        var outer = spans.Single(a => a.Kind == ActivityKind.Server && (string)a.GetTagItem("helamem.grain_id")! == "context/trace-a");
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.Equal(outer.TraceId, server.TraceId);
        Assert.Equal(outer.SpanId, client.ParentSpanId); // the inner call was made inside the outer request's span
    }
}
