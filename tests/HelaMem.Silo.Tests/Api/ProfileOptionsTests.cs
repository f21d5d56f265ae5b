using HelaMem.Silo.Hosting;
using HelaMem.Silo.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;

namespace HelaMem.Silo.Tests.Api;

/// <summary>
/// The deployment profile settings (HelaMem:Cluster:Profile, AdvertisedAddress, SiloName, section HelaMem:Azure):
/// each bad combination stops the silo before it touches anything, with one line naming the setting and never the
/// secret; the names of the azure profile's tables and container.
/// </summary>
[Collection(ConsoleErrorCapture.Name)]
public sealed class ProfileOptionsTests
{
    private const string SecretLookingConnectionString = "AccountName=x;AccountKey=c2VjcmV0LXZhbHVlLW5ldmVyLXByaW50ZWQ=;Garbage";

    [Theory]
    [InlineData("HelaMem:Cluster:Profile (HelaMem__Cluster__Profile) is 'cloud'; it must be one of embedded, azure, postgres", "--HelaMem:Cluster:Profile=cloud")]
    [InlineData("HelaMem:Postgres:ConnectionString (HelaMem__Postgres__ConnectionString) is required by the postgres profile", "--HelaMem:Cluster:Profile=postgres")]
    [InlineData("HelaMem:Postgres:ProbeTimeoutSeconds is 0", "--HelaMem:Cluster:Profile=postgres", "--HelaMem:Postgres:ConnectionString=Host=db", "--HelaMem:Postgres:ProbeTimeoutSeconds=0")]
    [InlineData("HelaMem:Cluster:Kubernetes is true, but the embedded profile is a single silo", "--HelaMem:Cluster:Kubernetes=true")]
    [InlineData("HelaMem:Cluster:Kubernetes is true, but this process is not in a Kubernetes pod", "--HelaMem:Cluster:Profile=postgres", "--HelaMem:Postgres:ConnectionString=Host=db", "--HelaMem:Cluster:Kubernetes=true")]
    [InlineData("HelaMem:Cluster:Membership:ProbeTimeoutSeconds is 0.1", "--HelaMem:Cluster:Membership:ProbeTimeoutSeconds=0.1")]
    [InlineData("HelaMem:Cluster:Membership:MissedProbesLimit is 0", "--HelaMem:Cluster:Membership:MissedProbesLimit=0")]
    [InlineData("HelaMem:Cluster:Membership:MaxProbeTimeoutSeconds is 1", "--HelaMem:Cluster:Membership:MaxProbeTimeoutSeconds=1")]
    [InlineData("HelaMem:Cluster:Directory is 'strong'; it must be 'default' or 'distributed'", "--HelaMem:Cluster:Directory=strong")]
    [InlineData("HelaMem:Cluster:Profile (HelaMem__Cluster__Profile) is 'Azure'", "--HelaMem:Cluster:Profile=Azure")]
    [InlineData("HelaMem:Azure:ConnectionString (HelaMem__Azure__ConnectionString) is not set", "--HelaMem:Cluster:Profile=azure")]
    [InlineData("HelaMem:Azure:ConnectionString (HelaMem__Azure__ConnectionString) is not a valid Azure Storage connection string", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:ConnectionString=" + SecretLookingConnectionString)]
    [InlineData("HelaMem:Azure:ConnectionString is set together with HelaMem:Azure:BlobServiceUri", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:ConnectionString=UseDevelopmentStorage=true", "--HelaMem:Azure:BlobServiceUri=https://a.blob.core.windows.net")]
    [InlineData("HelaMem:Azure:TableServiceUri (HelaMem__Azure__TableServiceUri) is not set", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:BlobServiceUri=https://a.blob.core.windows.net")]
    [InlineData("HelaMem:Azure:BlobServiceUri is 'http://a.blob.core.windows.net'; it must be an https URL", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:BlobServiceUri=http://a.blob.core.windows.net", "--HelaMem:Azure:TableServiceUri=https://a.table.core.windows.net")]
    [InlineData("HelaMem:Azure:ProbeTimeoutSeconds is 0", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:ConnectionString=UseDevelopmentStorage=true", "--HelaMem:Azure:ProbeTimeoutSeconds=0")]
    [InlineData("HelaMem:Cluster:AdvertisedAddress (HelaMem__Cluster__AdvertisedAddress) is 'silo-a'", "--HelaMem:Cluster:AdvertisedAddress=silo-a")]
    [InlineData("HelaMem:Cluster:AdvertisedAddress (HelaMem__Cluster__AdvertisedAddress) is '0.0.0.0'", "--HelaMem:Cluster:Profile=azure", "--HelaMem:Azure:ConnectionString=UseDevelopmentStorage=true", "--HelaMem:Cluster:AdvertisedAddress=0.0.0.0")]
    [InlineData("HelaMem:Cluster:AdvertisedAddress is '10.0.0.5', but the embedded profile is a single silo on loopback", "--HelaMem:Cluster:AdvertisedAddress=10.0.0.5")]
    [InlineData("HelaMem:Cluster:SiloName must be 1 to 100 characters without whitespace", "--HelaMem:Cluster:SiloName=silo a")]
    public void A_bad_profile_setting_stops_the_silo_with_one_line_naming_it(string named, params string[] arguments)
    {
        using var data = new TempDirectory();
        var (configured, exitCode, error) = TryConfigure(arguments, data.Path);

        Assert.False(configured);
        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.DoesNotContain("c2VjcmV0", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, OperatorKey.FileName)), "a refused start must not write anything");
    }

    [Fact]
    public void The_embedded_profile_is_the_default_and_keeps_its_silo_name()
    {
        var cluster = new SiloClusterOptions();

        Assert.Equal(DeploymentProfiles.Embedded, cluster.Profile);
        Assert.Equal("silo-0", cluster.EffectiveSiloName);
        Assert.False(cluster.ListensOnAllInterfaces);
    }

    [Fact]
    public void Other_profiles_name_the_silo_after_the_machine_and_port_and_listen_on_all_interfaces_for_a_routable_address()
    {
        var cluster = new SiloClusterOptions { Profile = DeploymentProfiles.Azure, SiloPort = 12345, AdvertisedAddress = "10.1.2.3" };

        Assert.Equal($"{Environment.MachineName}-12345", cluster.EffectiveSiloName);
        Assert.True(cluster.ListensOnAllInterfaces);
        Assert.Empty(cluster.Validate());
        Assert.Equal("silo-a", new SiloClusterOptions { Profile = DeploymentProfiles.Azure, SiloName = "silo-a" }.EffectiveSiloName);
    }

    [Theory]
    [InlineData("helamem", "helamemmembership", "helamemreminders", "helamem-grains")]
    [InlineData("memory2", "memory2membership", "memory2reminders", "memory2-grains")]
    public void Azure_names_of_a_plain_service_id_are_the_id_and_a_suffix(string serviceId, string membership, string reminders, string container)
    {
        var names = AzureStorageNames.For(serviceId);

        Assert.Equal(new AzureStorageNames(membership, reminders, container), names);
    }

    [Fact]
    public void Azure_names_of_service_ids_that_differ_only_in_case_or_punctuation_never_meet()
    {
        string[] ids = ["help-mem", "helpmem", "HelpMem", "help_mem", "7days", "a", new string('x', 200), "ünïcode"];

        var names = ids.Select(AzureStorageNames.For).ToList();

        Assert.Equal(ids.Length, names.Select(n => n.GrainContainer).Distinct().Count());
        Assert.Equal(ids.Length, names.Select(n => n.MembershipTable).Distinct().Count());
        Assert.All(names, n =>
        {
            // Table names: 3-63 letters and digits starting with a letter; container names: 3-63 lower-case letters,
            // digits and single hyphens, starting with a letter or digit.
            Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", n.MembershipTable);
            Assert.Matches("^[A-Za-z][A-Za-z0-9]{2,62}$", n.RemindersTable);
            Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{2,62}$", n.GrainContainer);
        });
    }

    private static (bool Configured, int ExitCode, string Error) TryConfigure(string[] arguments, string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder([.. arguments, $"--HELAMEM_DATA_DIR={dataDirectory}"]);
        var error = new StringWriter();
        var previous = Console.Error;
        Console.SetError(error);
        try
        {
            var configured = ServiceSetup.TryConfigure(builder, out var exitCode);
            return (configured, exitCode, error.ToString());
        }
        finally
        {
            Console.SetError(previous);
        }
    }
}
