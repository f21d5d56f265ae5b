namespace HelaMem.Silo.Hosting;

/// <summary>
/// The deployment profiles (<c>HelaMem:Cluster:Profile</c>): where membership, grain state and reminders live.
/// </summary>
public static class DeploymentProfiles
{
    /// <summary>One silo on loopback with SQLite grain state and reminders in the data directory (the default).</summary>
    public const string Embedded = "embedded";

    /// <summary>Orleans' Azure Storage providers: membership and reminders in Table storage, grain state in Blob storage.</summary>
    public const string Azure = "azure";

    /// <summary>Membership, grain state and reminders in PostgreSQL (HelaMem's own providers on Npgsql).</summary>
    public const string Postgres = "postgres";

    /// <summary>The profiles a silo of this build starts with.</summary>
    public static IReadOnlyList<string> Available { get; } = [Embedded, Azure, Postgres];

    /// <summary>The line that refuses <paramref name="profile"/>, or null when this build runs it.</summary>
    public static string? Refusal(string? profile)
    {
        if (profile is not null && Available.Contains(profile, StringComparer.Ordinal))
        {
            return null;
        }

        return $"HelaMem:Cluster:Profile (HelaMem__Cluster__Profile) is '{profile}'; it must be one of {string.Join(", ", Available)}.";
    }
}
