using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.AI;
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
    [InlineData("--HelaMem:Embedder=bert", "HelaMem:Embedder (HelaMem__Embedder) is 'bert'; it must be one of minilm, glove-sif, hashing, remote.")]
    [InlineData("--HelaMem:MiniLm:IntraOpThreads=0", "HelaMem:MiniLm:IntraOpThreads is 0; it must be between 1 and 256.")]
    [InlineData("--HelaMem:MiniLm:MaxTokens=1024", "HelaMem:MiniLm:MaxTokens is 1024")]
    [InlineData("--HelaMem:MiniLm:ModelPath=/nonexistent/minilm.dll", "HelaMem:Embedder is minilm, but its model file /nonexistent/minilm.dll is missing")]
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

    [Theory]
    [InlineData("--HelaMem:Llm:Provider=anthropic", "HelaMem:Llm:Provider is 'anthropic'; it must be one of none, openai, azure-openai.")]
    [InlineData("--HelaMem:Llm:Provider=azure-openai --HelaMem:Llm:ChatModel=chat --HelaMem:Llm:EmbeddingModel=embed", "HelaMem:Llm:Endpoint is required for azure-openai")]
    [InlineData("--HelaMem:Llm:Provider=azure-openai --HelaMem:Llm:Endpoint=my-resource.openai.azure.com --HelaMem:Llm:ChatModel=chat --HelaMem:Llm:EmbeddingModel=embed", "HelaMem:Llm:Endpoint 'my-resource.openai.azure.com' is not an https URL.")]
    [InlineData("--HelaMem:Llm:Provider=openai --HelaMem:Llm:ApiKey=sk-1 --HelaMem:Llm:EmbeddingModel=text-embedding-3-small", "HelaMem:Llm:ChatModel is required when HelaMem:Llm:Provider is openai")]
    [InlineData("--HelaMem:Llm:Provider=openai --HelaMem:Llm:ChatModel=gpt-4o-mini --HelaMem:Llm:EmbeddingModel=text-embedding-3-small", "HelaMem:Llm:ApiKey is required for openai at api.openai.com")]
    [InlineData("--HelaMem:Llm:Provider=openai --HelaMem:Llm:Endpoint=http://localhost:11434/v1 --HelaMem:Llm:ChatModel=llama3.2 --HelaMem:Llm:EmbeddingModel=nomic-embed-text --HelaMem:Llm:TimeoutSeconds=soon", "HelaMem:Llm:TimeoutSeconds")]
    [InlineData("--HelaMem:Embedder=remote", "HelaMem:Embedder is remote, which needs an embedding provider: set HelaMem:Llm:Provider to openai or azure-openai")]
    [InlineData("--HelaMem:Embedder=remote --HelaMem:Llm:Provider=openai --HelaMem:Llm:Endpoint=http://localhost:11434/v1 --HelaMem:Llm:ChatModel=llama3.2 --HelaMem:Llm:EmbeddingModel=nomic-embed-text",
        "HelaMem:Embedder is remote, which needs HelaMem:Llm:EmbeddingDimensions (HelaMem__Llm__EmbeddingDimensions)")]
    [InlineData("--HelaMem:Embedder=remote --HelaMem:Llm:Provider=openai --HelaMem:Llm:Endpoint=http://localhost:11434/v1 --HelaMem:Llm:ChatModel=llama3.2 --HelaMem:Llm:EmbeddingDimensions=768",
        "HelaMem:Llm:EmbeddingModel is required when HelaMem:Llm:Provider is openai")]
    [InlineData("--HelaMem:Embedder=remote --HelaMem:Llm:Provider=openai --HelaMem:Llm:Endpoint=http://localhost:11434/v1 --HelaMem:Llm:ChatModel=llama3.2 --HelaMem:Llm:EmbeddingModel=nomic-embed-text --HelaMem:Llm:EmbeddingDimensions=0",
        "HelaMem:Llm:EmbeddingDimensions is 0; it must be between 1 and 8192.")]
    public void A_bad_LLM_setting_stops_the_silo_with_exit_code_2_and_one_line_naming_it(string arguments, string named)
    {
        using var data = new TempDirectory();
        var (configured, exitCode, error) = TryConfigure(arguments.Split(' '), data.Path);

        Assert.False(configured);
        Assert.Equal(2, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error: ", line, StringComparison.Ordinal);
        Assert.Contains(named, line, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(data.Path, OperatorKey.FileName)), "a refused start must not write anything");
    }

    [Fact]
    public void A_bad_LLM_setting_never_prints_the_key()
    {
        using var data = new TempDirectory();
        var (configured, _, error) = TryConfigure(["--HelaMem:Llm:Provider=azure-openai", "--HelaMem:Llm:ApiKey=azure-key-SECRET-1234", "--HelaMem:Llm:ChatModel=chat", "--HelaMem:Llm:EmbeddingModel=embed"], data.Path);

        Assert.False(configured);
        Assert.Contains("HelaMem:Llm:Endpoint", error, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_LLM_clients_are_registered_only_when_a_provider_is_configured(bool configuredProvider)
    {
        using var data = new TempDirectory();
        string[] ports = [$"--HelaMem:Cluster:SiloPort={FreePorts.Next()}", $"--HelaMem:Cluster:GatewayPort={FreePorts.Next()}"];
        string[] llm = configuredProvider
            ? ["--HelaMem:Llm:Provider=openai", "--HelaMem:Llm:Endpoint=http://127.0.0.1:11434/v1", "--HelaMem:Llm:ChatModel=llama3.2", "--HelaMem:Llm:EmbeddingModel=nomic-embed-text"]
            : [];
        var builder = WebApplication.CreateBuilder([.. ports, .. llm, $"--HELAMEM_DATA_DIR={data.Path}"]);

        Assert.True(ServiceSetup.TryConfigure(builder, out _));

        Assert.Equal(configuredProvider, builder.Services.Any(d => d.ServiceType == typeof(IChatClient)));
        Assert.Equal(configuredProvider, builder.Services.Any(d => d.ServiceType == typeof(IEmbeddingGenerator<string, Embedding<float>>)));
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
    private static (bool Configured, int ExitCode, string Error) TryConfigure(string argument, string dataDirectory) =>
        TryConfigure([argument], dataDirectory);

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
