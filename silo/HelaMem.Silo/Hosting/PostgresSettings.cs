namespace HelaMem.Silo.Hosting;

/// <summary>Section <c>HelaMem:Postgres</c>: the database of the <c>postgres</c> profile (membership, grain state, reminders).</summary>
public sealed class PostgresSettings
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=helamem;Username=helamem;Password=...</c> (secret: never printed).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long the start-up check of the database may take, in seconds, before the silo refuses to start.</summary>
    public double ProbeTimeoutSeconds { get; set; } = 15;

    /// <summary>One line per invalid setting of the postgres profile.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return "HelaMem:Postgres:ConnectionString (HelaMem__Postgres__ConnectionString) is required by the postgres profile: an Npgsql connection string such as Host=db;Database=helamem;Username=helamem;Password=...";
        }

        if (!(ProbeTimeoutSeconds >= 1 && ProbeTimeoutSeconds <= 300))
        {
            yield return $"HelaMem:Postgres:ProbeTimeoutSeconds is {ProbeTimeoutSeconds}; it must be between 1 and 300.";
        }
    }
}
