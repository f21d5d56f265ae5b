using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Postgres;

/// <summary>
/// Where and how the PostgreSQL providers keep their rows. Each provider (grain storage by name, the reminder
/// table, the membership table) has its own named instance and its own connection pool; they may all point at
/// the same database, whose schema <c>helamem</c> they create and migrate at start.
/// </summary>
public sealed class PostgresStorageOptions : IStorageProviderSerializerOptions
{
    /// <summary>The configuration key operators set; every message about a bad or unreachable connection names it.</summary>
    public const string ConnectionStringSetting = "HelaMem:Postgres:ConnectionString";

    /// <summary>An Npgsql connection string (<c>Host=...;Port=...;Database=...;Username=...;Password=...</c>). Required.</summary>
    public string ConnectionString { get; set; } = "";

    /// <summary>
    /// The largest serialized grain state a write may carry; larger writes are refused before anything is sent.
    /// PostgreSQL's own ceiling for a <c>bytea</c> value is 1 GB; large values also hold a pooled connection long.
    /// </summary>
    public int MaxPayloadBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// How grain state becomes bytes. When left null, the silo's <see cref="IGrainStorageSerializer"/> registration
    /// is used (a keyed one under the provider's name first, as Orleans' own providers do); HelaMem's silo registers
    /// <c>HelaMemJsonGrainStorageSerializer</c>, the format the SQLite provider writes. Not used by reminders or membership.
    /// </summary>
    public IGrainStorageSerializer GrainStorageSerializer { get; set; } = null!;

    /// <summary>
    /// The silo lifecycle stage at which grain storage connects and migrates (and, in reverse, closes its pool).
    /// The default opens before grains can activate and closes after the silo has deactivated them.
    /// </summary>
    public int InitStage { get; set; } = ServiceLifecycleStage.ApplicationServices;

    /// <summary>How long one statement may run before it fails (and the call with it).</summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Throws an <see cref="OrleansConfigurationException"/> naming the first invalid setting (never echoing a password).</summary>
    public void Validate(string providerName)
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new OrleansConfigurationException(
                $"{ConnectionStringSetting} is required for the PostgreSQL provider '{providerName}': an Npgsql connection string such as Host=db;Database=helamem;Username=helamem;Password=...");
        }

        // Parsed here so that a malformed string fails at start with the setting's name, not at the first grain call.
        _ = PostgresConnectionStrings.Parse(ConnectionString, providerName);
        RequireRange(MaxPayloadBytes is >= 1 and <= 1_000_000_000, nameof(MaxPayloadBytes), MaxPayloadBytes, "between 1 and 1000000000", providerName);
        RequireRange(CommandTimeout >= TimeSpan.FromSeconds(1) && CommandTimeout <= TimeSpan.FromHours(1), nameof(CommandTimeout), CommandTimeout, "between 1 second and 1 hour", providerName);
    }

    private static void RequireRange(bool valid, string setting, object value, string range, string providerName)
    {
        if (!valid)
        {
            throw new OrleansConfigurationException($"PostgresStorageOptions.{setting} of the PostgreSQL provider '{providerName}' must be {range}; got {value}.");
        }
    }
}
