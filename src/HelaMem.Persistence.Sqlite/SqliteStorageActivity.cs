using System.Diagnostics;
using Orleans.Runtime;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The provider's spans on the <c>HelaMem.Persistence.Sqlite</c> activity source: one per read, write and clear of a
/// grain state, a child of whatever is current (the grain call that asked), so a trace runs from the HTTP request
/// through the grain calls down to the database. Named and tagged after OpenTelemetry's database conventions.
/// </summary>
internal static class SqliteStorageActivity
{
    public const string SourceName = "HelaMem.Persistence.Sqlite";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A started client span for <paramref name="operation"/> on a grain state, or null when nobody listens.</summary>
    public static Activity? Start(string operation, string providerName, GrainId grainId, string stateName)
    {
        var activity = Source.StartActivity($"sqlite {operation}", ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("db.system.name", "sqlite");
            activity.SetTag("db.operation.name", operation);
            activity.SetTag("db.collection.name", "grain_state");
            activity.SetTag("helamem.storage.provider", providerName);
            // The grain type and state name, not the key: keys hold tenant and user ids, which traces should not carry.
            activity.SetTag("helamem.storage.grain_type", grainId.Type.ToString());
            activity.SetTag("helamem.storage.state", stateName);
        }

        return activity;
    }

    /// <summary>Marks the span failed with the exception's type (its message may name stored keys).</summary>
    public static void Failed(Activity? activity, Exception error)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity.SetTag("error.type", error.GetType().FullName);
    }
}
