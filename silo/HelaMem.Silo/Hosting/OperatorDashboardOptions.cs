namespace HelaMem.Silo.Hosting;

/// <summary>
/// The operators' dashboard (section <c>HelaMem:Dashboard</c>): HelaMem's page at <c>/dashboard/</c> and the Orleans
/// Dashboard at <c>/dashboard/orleans/</c>, both behind the operator key.
/// </summary>
public sealed class OperatorDashboardOptions
{
    /// <summary>Whether the silo serves the dashboard (when false, nothing is mapped under <c>/dashboard</c>).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How long a sign-in lasts, in hours.</summary>
    public double SessionHours { get; set; } = 12;

    /// <summary>One line per invalid setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(SessionHours >= 0.05) || SessionHours > 720)
        {
            yield return $"HelaMem:Dashboard:SessionHours is {SessionHours}; it must be between 0.05 and 720.";
        }
    }
}
