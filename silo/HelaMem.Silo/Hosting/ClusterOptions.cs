namespace HelaMem.Silo.Hosting;

/// <summary>Section <c>HelaMem:Cluster</c>: how the silo joins its (localhost, single-silo) Orleans cluster.</summary>
public sealed class SiloClusterOptions
{
    /// <summary>The silo-to-silo port on the loopback interface (Orleans' default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans client gateway port; 0 (the default): no gateway, the HTTP API is the only way in.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Orleans' service id: stays the same across deployments of one service (it keys reminders and state).</summary>
    public string ServiceId { get; set; } = "helamem";

    /// <summary>Orleans' cluster id: silos with the same one form a cluster.</summary>
    public string ClusterId { get; set; } = "helamem";

    /// <summary>One line per invalid setting.</summary>
    public IEnumerable<string> Validate()
    {
        if (SiloPort is < 1 or > 65_535)
        {
            yield return $"HelaMem:Cluster:SiloPort is {SiloPort}; it must be a port between 1 and 65535.";
        }

        if (GatewayPort is < 0 or > 65_535)
        {
            yield return $"HelaMem:Cluster:GatewayPort is {GatewayPort}; it must be a port between 1 and 65535, or 0 for no gateway.";
        }
        else if (GatewayPort == SiloPort)
        {
            yield return $"HelaMem:Cluster:GatewayPort must differ from HelaMem:Cluster:SiloPort ({SiloPort}).";
        }

        if (string.IsNullOrWhiteSpace(ServiceId))
        {
            yield return "HelaMem:Cluster:ServiceId must not be empty.";
        }

        if (string.IsNullOrWhiteSpace(ClusterId))
        {
            yield return "HelaMem:Cluster:ClusterId must not be empty.";
        }
    }
}
