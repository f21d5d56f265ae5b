namespace HelaMem.Persistence.Postgres;

/// <summary>The providers' start/stop states: created, connected and migrated, or stopped for good.</summary>
internal static class LifecycleState
{
    public const int NotStarted = 0;
    public const int Started = 1;
    public const int Stopped = 2;
}
