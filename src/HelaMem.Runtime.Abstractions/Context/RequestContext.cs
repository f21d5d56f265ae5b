namespace HelaMem.Runtime;

/// <summary>
/// Values that flow with a logical call chain: set on the caller, visible in every grain the chain reaches and
/// in the calls those grains make (like Orleans' RequestContext). Backed by an <see cref="AsyncLocal{T}"/> holding
/// an immutable snapshot, so a change affects only the current flow and the calls it starts afterwards.
/// </summary>
public static class RequestContext
{
    private static readonly AsyncLocal<RequestContextData?> Ambient = new();

    /// <summary>The current snapshot (null when nothing was set). The runtime captures it into each outgoing call.</summary>
    public static RequestContextData? Current
    {
        get => Ambient.Value;
        set => Ambient.Value = value;
    }

    /// <summary>The tenant the call chain acts for, or null.</summary>
    public static string? Tenant
    {
        get => Ambient.Value?.Tenant;
        set => Ambient.Value = (Ambient.Value ?? RequestContextData.Empty) with { Tenant = value };
    }

    /// <summary>The trace id of the call chain (W3C trace id or any caller-chosen id), or null.</summary>
    public static string? TraceId
    {
        get => Ambient.Value?.TraceId;
        set => Ambient.Value = (Ambient.Value ?? RequestContextData.Empty) with { TraceId = value };
    }

    /// <summary>
    /// The absolute time by which the whole call chain must finish, or null. Every call made while a deadline is set
    /// times out at the earlier of the deadline and the runtime's response timeout.
    /// </summary>
    public static DateTimeOffset? Deadline
    {
        get => Ambient.Value?.Deadline;
        set => Ambient.Value = (Ambient.Value ?? RequestContextData.Empty) with { Deadline = value };
    }

    /// <summary>Sets an additional string value that flows with the call chain.</summary>
    public static void Set(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        Ambient.Value = (Ambient.Value ?? RequestContextData.Empty).WithItem(key, value);
    }

    /// <summary>An additional value, or null.</summary>
    public static string? Get(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var items = Ambient.Value?.Items;
        return items is not null && items.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>Removes an additional value.</summary>
    public static void Remove(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var current = Ambient.Value;
        if (current?.Items is { } items && items.ContainsKey(key))
        {
            var copy = new Dictionary<string, string>(items, StringComparer.Ordinal);
            copy.Remove(key);
            Ambient.Value = current with { Items = copy };
        }
    }

    /// <summary>Clears every value of the current flow.</summary>
    public static void Clear() => Ambient.Value = null;
}

/// <summary>An immutable request-context snapshot.</summary>
/// <param name="Tenant">The tenant the call chain acts for.</param>
/// <param name="TraceId">The trace id of the call chain.</param>
/// <param name="Deadline">The absolute deadline of the call chain.</param>
/// <param name="Items">Additional string values (never mutated after creation).</param>
public sealed record RequestContextData(string? Tenant, string? TraceId, DateTimeOffset? Deadline, IReadOnlyDictionary<string, string>? Items)
{
    /// <summary>The empty snapshot.</summary>
    public static RequestContextData Empty { get; } = new(null, null, null, null);

    /// <summary>A copy with one additional value set.</summary>
    public RequestContextData WithItem(string key, string value)
    {
        var copy = Items is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(Items, StringComparer.Ordinal);
        copy[key] = value;
        return this with { Items = copy };
    }
}
