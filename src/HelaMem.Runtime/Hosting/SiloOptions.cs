using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace HelaMem.Runtime.Hosting;

/// <summary>A silo's settings. Defaults follow Orleans where Orleans has one.</summary>
public sealed class SiloOptions
{
    /// <summary>The silo's endpoint name (stable across restarts; placement hashes it).</summary>
    public string SiloName { get; set; } = "silo";

    /// <summary>How long a caller waits for a response before a <see cref="TimeoutException"/> (Orleans: 30 s).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often pending calls are checked for their deadline: timeouts fire up to this much late.</summary>
    public TimeSpan ResponseTimeoutGranularity { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Most requests one activation may hold queued; further calls fail with <c>GrainQueueFullException</c>.</summary>
    public int MaxPendingRequestsPerActivation { get; set; } = 10_000;

    /// <summary>
    /// Whether a request to an idle activation may start on the sending thread instead of after a thread-pool hop
    /// (the turn rules hold either way). Saves a hop per call on fan-outs of small requests; turn it off to have every
    /// request start on the thread pool, as Orleans does.
    /// </summary>
    public bool InlineExecution { get; set; } = true;

    /// <summary>Idle time after which an activation is collected (Orleans: 15 min). [CollectionAgeLimit] overrides it per class.</summary>
    public TimeSpan CollectionAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often idle collection sweeps the activations (Orleans: 1 min).</summary>
    public TimeSpan CollectionQuantum { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Per grain type age limits, overriding both the default and the class attribute.</summary>
    public Dictionary<string, TimeSpan> ClassSpecificCollectionAge { get; } = new(StringComparer.Ordinal);

    /// <summary>How long OnActivateAsync plus the state reads may take before activation fails.</summary>
    public TimeSpan ActivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long OnDeactivateAsync may take before deactivation proceeds anyway.</summary>
    public TimeSpan DeactivationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Smallest reminder period accepted (Orleans: 1 min); tests lower it.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often a silo re-reads the reminder table to pick up reminders it now owns.</summary>
    public TimeSpan ReminderRefreshPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The JSON options grain state is serialized with. Unknown members are skipped and missing ones keep their
    /// defaults, so state written by an older or newer version of a type still loads. Add source-generated
    /// contexts to <see cref="JsonSerializerOptions.TypeInfoResolverChain"/> for speed.
    /// </summary>
    public JsonSerializerOptions StateSerializerOptions { get; set; } = new(JsonSerializerDefaults.General)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <summary>The clock for timers, reminders and idle collection.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(SiloName);
        Positive(ResponseTimeout, nameof(ResponseTimeout));
        Positive(ResponseTimeoutGranularity, nameof(ResponseTimeoutGranularity));
        Positive(CollectionAge, nameof(CollectionAge));
        Positive(CollectionQuantum, nameof(CollectionQuantum));
        Positive(ActivationTimeout, nameof(ActivationTimeout));
        Positive(DeactivationTimeout, nameof(DeactivationTimeout));
        Positive(MinimumReminderPeriod, nameof(MinimumReminderPeriod));
        Positive(ReminderRefreshPeriod, nameof(ReminderRefreshPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxPendingRequestsPerActivation, 1, nameof(MaxPendingRequestsPerActivation));
        ArgumentNullException.ThrowIfNull(StateSerializerOptions);
        ArgumentNullException.ThrowIfNull(TimeProvider);
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, $"SiloOptions.{name} must be positive.");
        }
    }
}
