using Orleans.Configuration;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Section <c>HelaMem:Cluster:Membership</c>: how fast a cluster of several silos declares a silo dead. Orleans'
/// defaults take 13–19 s on loopback (../shared/docs/orleans.md); these defaults aim at under 10 s from a kill to its
/// graphs answering from a survivor, with room for a loaded host (docs/runbook.md, "Failover").
/// </summary>
public sealed class MembershipSettings
{
    /// <summary>How long a probe may take, and how often each silo probes the ones it watches (Orleans' default 5 s).</summary>
    public double ProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>
    /// The longest a probe may wait for its answer once Orleans 10 has stretched the probe time-out for a slow link or a
    /// degraded local silo (Orleans' default: 4 × the probe time-out). A silo that freezes or drops off the network
    /// answers nothing and refuses nothing, so its death takes about missed probes × this; Orleans' 8 s made it 18 s.
    /// </summary>
    public double MaxProbeTimeoutSeconds { get; set; } = 4;

    /// <summary>Missed probes in a row before a silo suspects another (Orleans' default 3).</summary>
    public int MissedProbesLimit { get; set; } = 2;

    /// <summary>Suspicions needed to declare a silo dead (Orleans' default 2; a cluster of two needs 1).</summary>
    public int VotesForDeath { get; set; } = 2;

    /// <summary>How often a silo reads the whole membership table even without news (Orleans' default 60 s).</summary>
    public double TableRefreshSeconds { get; set; } = 10;

    /// <summary>Applies the settings to Orleans' options.</summary>
    public void ApplyTo(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(ProbeTimeoutSeconds);
        options.MaxProbeTimeout = TimeSpan.FromSeconds(MaxProbeTimeoutSeconds);
        options.NumMissedProbesLimit = MissedProbesLimit;
        options.NumVotesForDeathDeclaration = VotesForDeath;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(TableRefreshSeconds);
    }

    /// <summary>One line per invalid setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (!(ProbeTimeoutSeconds >= 0.5 && ProbeTimeoutSeconds <= 60))
        {
            yield return $"HelaMem:Cluster:Membership:ProbeTimeoutSeconds is {ProbeTimeoutSeconds}; it must be between 0.5 and 60.";
        }

        if (!(MaxProbeTimeoutSeconds >= ProbeTimeoutSeconds && MaxProbeTimeoutSeconds <= 240))
        {
            yield return $"HelaMem:Cluster:Membership:MaxProbeTimeoutSeconds is {MaxProbeTimeoutSeconds}; it must be between ProbeTimeoutSeconds ({ProbeTimeoutSeconds}) and 240.";
        }

        if (MissedProbesLimit is < 1 or > 10)
        {
            yield return $"HelaMem:Cluster:Membership:MissedProbesLimit is {MissedProbesLimit}; it must be between 1 and 10.";
        }

        if (VotesForDeath is < 1 or > 10)
        {
            yield return $"HelaMem:Cluster:Membership:VotesForDeath is {VotesForDeath}; it must be between 1 and 10.";
        }

        if (!(TableRefreshSeconds >= 1 && TableRefreshSeconds <= 600))
        {
            yield return $"HelaMem:Cluster:Membership:TableRefreshSeconds is {TableRefreshSeconds}; it must be between 1 and 600.";
        }
    }
}
