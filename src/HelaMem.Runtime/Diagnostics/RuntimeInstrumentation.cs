using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace HelaMem.Runtime;

/// <summary>
/// The runtime's metrics (meter <c>HelaMem.Runtime</c>) and traces (activity source <c>HelaMem.Runtime</c>).
/// Instruments are process-wide like the meter; histograms are recorded only while someone listens.
/// </summary>
public static class RuntimeInstrumentation
{
    /// <summary>The meter and activity source name.</summary>
    public const string Name = "HelaMem.Runtime";

    /// <summary>The meter.</summary>
    public static Meter Meter { get; } = new(Name, "1.0");

    /// <summary>The activity source: one client span per call sent, one server span per request run.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, "1.0");

    internal static Counter<long> ActivationsCreated { get; } = Meter.CreateCounter<long>("helamem.runtime.activations.created", "{activation}", "Activations created.");

    internal static Counter<long> ActivationsDeactivated { get; } = Meter.CreateCounter<long>("helamem.runtime.activations.deactivated", "{activation}", "Activations deactivated.");

    internal static UpDownCounter<long> ActivationsActive { get; } = Meter.CreateUpDownCounter<long>("helamem.runtime.activations.active", "{activation}", "Activations currently alive.");

    internal static Counter<long> CallsSent { get; } = Meter.CreateCounter<long>("helamem.runtime.calls", "{call}", "Grain calls sent.");

    internal static Histogram<double> CallDuration { get; } = Meter.CreateHistogram<double>("helamem.runtime.call.duration", "ms", "Time from sending a grain call to its response.");

    internal static Counter<long> CallTimeouts { get; } = Meter.CreateCounter<long>("helamem.runtime.call.timeouts", "{call}", "Grain calls that timed out.");

    internal static Counter<long> QueueRejections { get; } = Meter.CreateCounter<long>("helamem.runtime.queue.rejections", "{call}", "Requests rejected because the activation's queue was full.");

    internal static Counter<long> StorageOperations { get; } = Meter.CreateCounter<long>("helamem.runtime.storage.operations", "{operation}", "Grain state reads, writes and clears.");

    internal static Histogram<double> StorageDuration { get; } = Meter.CreateHistogram<double>("helamem.runtime.storage.duration", "ms", "Duration of grain state operations.");

    internal static Counter<long> ReminderTicks { get; } = Meter.CreateCounter<long>("helamem.runtime.reminder.ticks", "{tick}", "Reminder ticks delivered.");

    internal static Counter<long> TimerTicks { get; } = Meter.CreateCounter<long>("helamem.runtime.timer.ticks", "{tick}", "Grain timer ticks run.");
}
