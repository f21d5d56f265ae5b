using System.Net;
using System.Net.Sockets;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Section <c>HelaMem:Cluster</c>: the deployment profile (where membership, grain state and reminders live) and how
/// the silo joins its Orleans cluster.
/// </summary>
public sealed class SiloClusterOptions
{
    /// <summary>The deployment profile: <c>embedded</c> (the default), <c>azure</c> or <c>postgres</c> (see <see cref="DeploymentProfiles"/>).</summary>
    public string Profile { get; set; } = DeploymentProfiles.Embedded;

    /// <summary>
    /// The IP address other silos reach this one at (non-embedded profiles). When it is not a loopback address the
    /// silo listens on all interfaces, so that it can sit behind NAT or in a container and still advertise this one.
    /// </summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>The silo's name in the membership table (null: the machine name and the silo port; <c>silo-0</c> for the embedded profile).</summary>
    public string? SiloName { get; set; }

    /// <summary>The silo-to-silo port on the loopback interface (Orleans' default 11111).</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>The Orleans client gateway port; 0 (the default): no gateway, the HTTP API is the only way in.</summary>
    public int GatewayPort { get; set; }

    /// <summary>Orleans' service id: stays the same across deployments of one service (it keys reminders and state).</summary>
    public string ServiceId { get; set; } = "helamem";

    /// <summary>Orleans' cluster id: silos with the same one form a cluster.</summary>
    public string ClusterId { get; set; } = "helamem";

    /// <summary>
    /// Run as a Kubernetes pod with Orleans' Kubernetes hosting (pod name and namespace from the downward API, the pod
    /// labelled with the ids, pods of silos declared dead deleted). Only on the azure and postgres profiles, inside a pod.
    /// </summary>
    public bool Kubernetes { get; set; }

    /// <summary>
    /// Orleans' grain directory on the azure and postgres profiles: <c>default</c> (Orleans' eventually consistent
    /// directory, which may briefly allow two activations of a grain during membership changes; ETags fence their
    /// writes) or <c>distributed</c> (Orleans' strongly consistent distributed directory, experimental in 10.4.2).
    /// </summary>
    public string Directory { get; set; } = "default";

    /// <summary>How fast a cluster of several silos declares a silo dead (the azure and postgres profiles).</summary>
    public MembershipSettings Membership { get; set; } = new();

    /// <summary>The parsed <see cref="AdvertisedAddress"/> (call after <see cref="Validate"/> found no error).</summary>
    public IPAddress AdvertisedIPAddress => IPAddress.Parse(AdvertisedAddress);

    /// <summary>Whether the silo listens on all interfaces (a non-loopback advertised address) rather than on loopback only.</summary>
    public bool ListensOnAllInterfaces => !IPAddress.IsLoopback(AdvertisedIPAddress);

    /// <summary>The silo name used: <see cref="SiloName"/>, else <c>silo-0</c> (embedded) or the machine name and silo port.</summary>
    public string EffectiveSiloName => !string.IsNullOrWhiteSpace(SiloName)
        ? SiloName
        : Profile == DeploymentProfiles.Embedded ? "silo-0" : $"{Environment.MachineName}-{SiloPort}";

    /// <summary>
    /// One line per configured port that another process already listens on. Orleans binds its ports for reuse, so on
    /// Linux a second silo on the same port would start without an error and share the port with the first; a plain
    /// bind here fails instead, and the silo refuses to start with a line naming the setting.
    /// </summary>
    public IEnumerable<string> FindPortsInUse()
    {
        var listenAddress = ListensOnAllInterfaces ? IPAddress.Any : IPAddress.Loopback;
        if (!IsFree(listenAddress, SiloPort))
        {
            yield return $"HelaMem:Cluster:SiloPort {SiloPort} is in use by another process (another silo?); choose a free port with HelaMem__Cluster__SiloPort.";
        }

        if (GatewayPort > 0 && !IsFree(listenAddress, GatewayPort))
        {
            yield return $"HelaMem:Cluster:GatewayPort {GatewayPort} is in use by another process; choose a free port with HelaMem__Cluster__GatewayPort, or 0 for no gateway.";
        }
    }

    private static bool IsFree(IPAddress address, int port)
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
            probe.Bind(new IPEndPoint(address, port));
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

        if (DeploymentProfiles.Refusal(Profile) is { } refusal)
        {
            yield return refusal;
        }

        if (!IPAddress.TryParse(AdvertisedAddress ?? "", out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            yield return $"HelaMem:Cluster:AdvertisedAddress (HelaMem__Cluster__AdvertisedAddress) is '{AdvertisedAddress}'; it must be the IP address other silos reach this one at, e.g. 10.0.0.5 (default 127.0.0.1).";
        }
        else if (Profile == DeploymentProfiles.Embedded && !IPAddress.IsLoopback(address))
        {
            // Localhost clustering cannot span hosts: advertising another address would only hide that.
            yield return $"HelaMem:Cluster:AdvertisedAddress is '{AdvertisedAddress}', but the embedded profile is a single silo on loopback; choose HelaMem:Cluster:Profile azure or postgres to form a multi-host cluster.";
        }

        if (Kubernetes && Profile == DeploymentProfiles.Embedded)
        {
            yield return "HelaMem:Cluster:Kubernetes is true, but the embedded profile is a single silo; choose HelaMem:Cluster:Profile azure or postgres.";
        }
        else if (Kubernetes && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST")))
        {
            // Orleans' Kubernetes hosting would fail later, inside the silo's start, reading the pod's service account.
            yield return "HelaMem:Cluster:Kubernetes is true, but this process is not in a Kubernetes pod (KUBERNETES_SERVICE_HOST is not set); unset it outside Kubernetes.";
        }

        if (Directory is not ("default" or "distributed"))
        {
            yield return $"HelaMem:Cluster:Directory is '{Directory}'; it must be 'default' or 'distributed'.";
        }

        foreach (var line in Membership?.Validate() ?? ["HelaMem:Cluster:Membership must be an object."])
        {
            yield return line;
        }

        if (SiloName is not null && (SiloName.Length is 0 or > 100 || SiloName.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
        {
            yield return "HelaMem:Cluster:SiloName must be 1 to 100 characters without whitespace (unset it for the machine name and silo port).";
        }
    }
}
