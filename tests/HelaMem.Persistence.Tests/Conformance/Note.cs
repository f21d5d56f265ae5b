using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Conformance;

/// <summary>The grain state the suites store: a class with a parameterless constructor, as grain state types are.</summary>
public sealed class Note
{
    public string Text { get; set; } = "";

    public int Count { get; set; }

    public List<string> Tags { get; set; } = [];
}

/// <summary>Short forms of the Orleans calls a grain's <c>IPersistentState</c> makes, each with its own <see cref="GrainState{T}"/>.</summary>
public static class GrainStorageCalls
{
    public const string StateName = "state";

    /// <summary>Writes <paramref name="text"/> as a writer whose last known ETag is <paramref name="eTag"/>; returns the new ETag.</summary>
    public static async Task<string> WriteAsync(this IGrainStorage storage, GrainId grain, string text, string? eTag, string stateName = StateName, CancellationToken cancellationToken = default)
    {
        var state = new GrainState<Note>(new Note { Text = text }) { ETag = eTag, RecordExists = eTag is not null };
        await storage.WriteStateAsync(stateName, grain, state, cancellationToken);
        return state.ETag!;
    }

    public static async Task<GrainState<Note>> ReadAsync(this IGrainStorage storage, GrainId grain, string stateName = StateName)
    {
        var state = new GrainState<Note>(new Note { Text = "left over from before the read" }) { ETag = "left over", RecordExists = true };
        await storage.ReadStateAsync(stateName, grain, state);
        return state;
    }

    public static Task ClearAsync(this IGrainStorage storage, GrainId grain, string? eTag, string stateName = StateName, CancellationToken cancellationToken = default) =>
        storage.ClearStateAsync(stateName, grain, new GrainState<Note>(new Note()) { ETag = eTag, RecordExists = eTag is not null }, cancellationToken);

    /// <summary>The stored text, or null when nothing is stored.</summary>
    public static async Task<string?> ReadTextAsync(this IGrainStorage storage, GrainId grain, string stateName = StateName) =>
        await storage.ReadAsync(grain, stateName) is { RecordExists: true } state ? state.State!.Text : null;
}
