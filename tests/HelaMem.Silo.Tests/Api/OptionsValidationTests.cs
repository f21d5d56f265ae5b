using Microsoft.AspNetCore.Builder;
using HelaMem.Silo.Hosting;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Api;

[Collection(ConsoleErrorCapture.Name)]
public sealed class OptionsValidationTests
{
    [Fact]
    public void Defaults_are_valid() => Assert.Empty(new ServiceOptions().Validate());

    [Theory]
    [InlineData("--HelaMem:MaxRequestBodyBytes=5", "MaxRequestBodyBytes")]
    [InlineData("--HelaMem:RateLimit:TokenLimit=0", "TokenLimit")]
    [InlineData("--HelaMem:RateLimit:PeriodSeconds=-1", "PeriodSeconds")]
    [InlineData("--HelaMem:ConsolidationPeriodMinutes=0", "ConsolidationPeriodMinutes")]
    [InlineData("--HelaMem:Dashboard:SessionHours=0", "HelaMem:Dashboard:SessionHours is 0; it must be between 0.05 and 720.")]
    [InlineData("--HelaMem:Telemetry:OtlpEndpoint=collector:4317", "HelaMem:Telemetry:OtlpEndpoint 'collector:4317' is not an http or https URL")]
    [InlineData("--HELAMEM_OPERATOR_KEY=short", "HELAMEM_OPERATOR_KEY")]
    [InlineData("--HelaMem:MaxRequestBodyBytes=lots", "MaxRequestBodyBytes")]
    [InlineData("--HelaMem:Retrieval:Profile=fast", "HelaMem:Retrieval:Profile (HelaMem__Retrieval__Profile) is 'fast'; it must be one of paper, helamem")]
    [InlineData("--HelaMem:Retrieval:Profile=", "HelaMem:Retrieval:Profile")]
    [InlineData("--HelaMem:Cluster:SiloPort=0", "HelaMem:Cluster:SiloPort is 0")]
    [InlineData("--HelaMem:Cluster:SiloPort=70000", "HelaMem:Cluster:SiloPort is 70000")]
    [InlineData("--HelaMem:Cluster:GatewayPort=-1", "HelaMem:Cluster:GatewayPort is -1")]
    [InlineData("--HelaMem:Cluster:GatewayPort=11111", "HelaMem:Cluster:GatewayPort must differ from HelaMem:Cluster:SiloPort")]
    [InlineData("--HelaMem:Cluster:ServiceId=", "HelaMem:Cluster:ServiceId")]
    [InlineData("--HelaMem:Cluster:ClusterId=", "HelaMem:Cluster:ClusterId")]
    public void A_bad_setting_stops_the_silo_with_exit_code_2_and_a_message_naming_it(string argument, string named)
    {
        using var data = new TempDirectory();
        var (configured, exitCode, error) = TryConfigure(argument, data.Path);

        Assert.False(configured);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains(named, error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, OperatorKey.FileName)), "a refused start must not write anything");
    }

    [Fact]
    public void A_silo_port_another_process_listens_on_stops_the_silo_with_exit_code_2_naming_the_setting()
    {
        // Orleans binds its port for reuse, so without the check a second silo would share the port silently.
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var port = ((System.Net.IPEndPoint)other.LocalEndpoint).Port;
        using var data = new TempDirectory();
        var (configured, exitCode, error) = TryConfigure($"--HelaMem:Cluster:SiloPort={port}", data.Path);

        Assert.False(configured);
        Assert.Equal(2, exitCode);
        Assert.Contains($"error: HelaMem:Cluster:SiloPort {port} is in use", error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, OperatorKey.FileName)), "a refused start must not write anything");
    }

    [Fact]
    public void A_generated_operator_key_is_kept_in_the_data_directory_and_reused()
    {
        using var data = new TempDirectory();
        var first = OperatorKey.Resolve(null, data.Path);
        var second = OperatorKey.Resolve(null, data.Path);
        Assert.True(first.Generated);
        Assert.False(second.Generated);
        Assert.Equal(first.Value, second.Value);
        Assert.Equal("HELAMEM_OPERATOR_KEY", OperatorKey.Resolve("configured-operator-key-123", data.Path).Source);
    }

    // Configures a silo with one argument and the data directory, as Program does, capturing what it prints to stderr.
    private static (bool Configured, int ExitCode, string Error) TryConfigure(string argument, string dataDirectory)
    {
        var builder = WebApplication.CreateBuilder([argument, $"--HELAMEM_DATA_DIR={dataDirectory}"]);
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
