using System.Net;
using System.Net.Sockets;

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

    /// <summary>
    /// One line per configured port that another process already listens on. Orleans binds its ports for reuse, so on
    /// Linux a second silo on the same port would start without an error and share the port with the first; a plain
    /// bind here fails instead, and the silo refuses to start with a line naming the setting.
    /// </summary>
    public IEnumerable<string> FindPortsInUse()
    {
        if (!IsFree(SiloPort))
        {
            yield return $"HelaMem:Cluster:SiloPort {SiloPort} is in use by another process (another silo?); choose a free port with HelaMem__Cluster__SiloPort.";
        }

        if (GatewayPort > 0 && !IsFree(GatewayPort))
        {
            yield return $"HelaMem:Cluster:GatewayPort {GatewayPort} is in use by another process; choose a free port with HelaMem__Cluster__GatewayPort, or 0 for no gateway.";
        }
    }

    private static bool IsFree(int port)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        if (OperatingSystem.IsLinux())
        {
            // SO_REUSEADDR alone (SOL_SOCKET 1, option 2): connections of a silo that just stopped may linger in
            // TIME_WAIT and must not count, while a listening socket still does. (.NET's ReuseAddress would also set
            // SO_REUSEPORT, which lets the bind succeed beside a live listener: exactly what this check is for.)
            probe.SetRawSocketOption(1, 2, BitConverter.GetBytes(1));
        }

        try
        {
            probe.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            return false;
        }
    }

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
