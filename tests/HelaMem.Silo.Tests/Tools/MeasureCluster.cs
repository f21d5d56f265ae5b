#:project ../../../client/HelaMem.Client/HelaMem.Client.csproj
#:project ../../../src/HelaMem.Grains/HelaMem.Grains.csproj
#:property PublishAot=false

// Measures HelaMem through its HTTP API on real silo processes, per deployment profile (docs/performance.md, "Cluster"):
//   dotnet build silo/HelaMem.Silo -c Release
//   dotnet run -c Release tests/HelaMem.Silo.Tests/Tools/MeasureCluster.cs -- <locomo dir> embedded
//   dotnet run -c Release tests/HelaMem.Silo.Tests/Tools/MeasureCluster.cs -- <locomo dir> postgres "<Npgsql connection string>"
//   dotnet run -c Release tests/HelaMem.Silo.Tests/Tools/MeasureCluster.cs -- <locomo dir> azure "<storage connection string>"
// 1. Ingest: LoCoMo conv-26 (419 turns) into 8 users at once in batches of 100 through the API, spread over the silos:
//    acknowledged turns per second (an acknowledged turn is durable in the profile's storage).
// 2. Search: 60 searches of one user through the silo that owns its graph and through another one (two silos; the owner
//    is computed with the silos' own placement rule): p50 and p90 as the client sees them.
// 3. Storage per user (embedded: the SQLite file; postgres: the database size, via psql) after the ingest.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Grains.Placement;
using Orleans.Runtime;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MeasureCluster.cs <locomo dir> <embedded|postgres|azure> [connection string]");
    return 2;
}

var (locomo, profile) = (args[0], args[1]);
var connection = args.Length > 2 ? args[2] : null;
var root = FindRoot();
var siloDll = Path.Combine(root, "silo", "HelaMem.Silo", "bin", "Release", "net10.0", "HelaMem.Silo.dll");
const string OperatorKey = "measure-operator-key-0123456789";
var serviceId = $"m{Guid.NewGuid():N}"[..12];
var siloCount = profile == "embedded" ? 1 : 2;
var silos = new List<(Process Process, Uri Url, string Data)>();
try
{
    for (var i = 0; i < siloCount; i++)
    {
        silos.Add(await StartSiloAsync(i));
    }

    using var operatorClient = new HelaMemClient(new HelaMemClientOptions { BaseAddress = silos[0].Url, OperatorKey = OperatorKey });
    var tenant = $"measure-{serviceId}";
    var apiKey = (await operatorClient.CreateTenantAsync(new CreateTenantRequest(tenant))).ApiKey;
    var turns = ReadTurns(Path.Combine(locomo, "conv-26.json"));
    var sizeBefore = StorageBytes();

    // 1. Ingest: 8 users at once, user i through silo i mod n.
    const int Users = 8;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, Users).Select(async u =>
    {
        using var client = new HelaMemClient(new HelaMemClientOptions { BaseAddress = silos[u % siloCount].Url, ApiKey = apiKey });
        foreach (var batch in turns.Chunk(100))
        {
            await client.IngestAsync($"user-{u}", new IngestRequest([.. batch]));
        }
    }));
    var ingestSeconds = watch.Elapsed.TotalSeconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{profile}: ingest {Users} x {turns.Count} turns in batches of 100 through {siloCount} silo(s): {Users * turns.Count / ingestSeconds:0} turns/s ({ingestSeconds:0.0} s)"));

    var sizeAfter = StorageBytes();
    if (sizeBefore is { } before && sizeAfter is { } after)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{profile}: storage {(after - before) / Users / 1024.0:0} KiB per user of {turns.Count} memories ({(after - before) / (double)(Users * turns.Count):0} bytes per memory)"));
    }

    // 2. Search through the owner and through another silo.
    var questions = ReadQuestions(Path.Combine(locomo, "conv-26.json")).Take(60).ToList();
    var stats = await operatorClient.GetOperatorStatsAsync();
    var active = stats.Silos.Where(s => s.Status == "Active").Select(s => Parse(s.Address)).ToList();
    var owner = UserGraphPlacementDirector.Choose(Encoding.UTF8.GetBytes($"{tenant}/user-0"), active);
    foreach (var (_, url, _) in silos)
    {
        var isOwner = active.Count == 1 || SiloPortOf(url) == owner.Endpoint.Port;
        using var client = new HelaMemClient(new HelaMemClientOptions { BaseAddress = url, ApiKey = apiKey });
        foreach (var question in questions.Take(10))
        {
            await client.SearchAsync("user-0", new SearchRequest(question));
        }

        var times = new List<double>();
        foreach (var question in questions)
        {
            var one = Stopwatch.StartNew();
            await client.SearchAsync("user-0", new SearchRequest(question));
            times.Add(one.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{profile}: search through the {(isOwner ? "owning silo" : "other silo")}: p50 {times[times.Count / 2]:0.00} ms, p90 {times[times.Count * 9 / 10]:0.00} ms ({times.Count} searches, HTTP on loopback included)"));
    }

    return 0;
}
finally
{
    foreach (var (process, _, data) in silos)
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        Directory.Delete(data, recursive: true);
    }
}

async Task<(Process, Uri, string)> StartSiloAsync(int index)
{
    var data = Directory.CreateTempSubdirectory("helamem-measure-").FullName;
    var url = new Uri($"http://127.0.0.1:{FreePort()}");
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    start.ArgumentList.Add(siloDll);
    start.ArgumentList.Add("--urls");
    start.ArgumentList.Add(url.ToString().TrimEnd('/'));
    start.Environment["HELAMEM_DATA_DIR"] = data;
    start.Environment["HELAMEM_OPERATOR_KEY"] = OperatorKey;
    start.Environment["HelaMem__Cluster__SiloPort"] = FreePort().ToString(CultureInfo.InvariantCulture);
    start.Environment["HelaMem__Cluster__Profile"] = profile;
    start.Environment["HelaMem__Cluster__ServiceId"] = serviceId;
    start.Environment["HelaMem__Cluster__ClusterId"] = serviceId;
    start.Environment["HelaMem__RateLimit__TokenLimit"] = "100000";
    start.Environment["HelaMem__RateLimit__TokensPerPeriod"] = "100000";
    if (profile == "postgres")
    {
        start.Environment["HelaMem__Postgres__ConnectionString"] = connection;
    }
    else if (profile == "azure")
    {
        start.Environment["HelaMem__Azure__ConnectionString"] = connection;
    }

    var process = Process.Start(start)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is { } line && line.StartsWith("error", StringComparison.Ordinal)) Console.Error.WriteLine(line); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    using var http = new HttpClient { BaseAddress = url };
    for (var attempt = 0; ; attempt++)
    {
        if (process.HasExited || attempt > 600)
        {
            throw new InvalidOperationException($"silo {index} did not start");
        }

        try
        {
            if ((await http.GetAsync("/health/ready")).IsSuccessStatusCode)
            {
                return (process, url, data);
            }
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }

        await Task.Delay(100);
    }
}

long? StorageBytes()
{
    if (profile == "embedded")
    {
        return Directory.EnumerateFiles(silos[0].Data, "helamem.db*").Sum(f => new FileInfo(f).Length);
    }

    if (profile == "postgres")
    {
        var psql = new ProcessStartInfo("psql", ["-At", "-d", ToUri(connection!), "-c", "SELECT pg_database_size(current_database())"]) { RedirectStandardOutput = true };
        using var run = Process.Start(psql)!;
        var text = run.StandardOutput.ReadToEnd();
        run.WaitForExit();
        return long.TryParse(text.Trim(), out var bytes) ? bytes : null;
    }

    return null;
}

// An Npgsql "Host=...;Port=...;Database=...;Username=...;Password=..." string as a libpq URI for psql.
static string ToUri(string npgsql)
{
    var parts = npgsql.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim());
    return $"postgresql://{Uri.EscapeDataString(parts["username"])}:{Uri.EscapeDataString(parts.GetValueOrDefault("password", ""))}@{parts["host"]}:{parts.GetValueOrDefault("port", "5432")}/{parts["database"]}";
}

int SiloPortOf(Uri url) => int.Parse(silos.First(s => s.Url == url).Process.StartInfo.Environment["HelaMem__Cluster__SiloPort"]!, CultureInfo.InvariantCulture);

static SiloAddress Parse(string address)
{
    // "S127.0.0.1:11111:155316541": address, silo port, generation.
    var parts = address.TrimStart('S').Split(':');
    return SiloAddress.New(IPAddress.Parse(parts[0]), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string FindRoot()
{
    for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "HelaMem.Orleans.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}

static List<MessageInput> ReadTurns(string path)
{
    using var document = JsonDocument.Parse(File.ReadAllText(path));
    var conversation = document.RootElement.TryGetProperty("conversation", out var nested) ? nested : document.RootElement;
    var turns = new List<MessageInput>();
    for (var session = 1; conversation.TryGetProperty($"session_{session}", out var turnsOfSession); session++)
    {
        foreach (var turn in turnsOfSession.EnumerateArray())
        {
            turns.Add(new MessageInput(turn.GetProperty("text").GetString()!, turn.GetProperty("speaker").GetString()));
        }
    }

    return turns;
}

static IEnumerable<string> ReadQuestions(string path)
{
    using var document = JsonDocument.Parse(File.ReadAllText(path));
    return [.. document.RootElement.GetProperty("qa").EnumerateArray().Select(q => q.GetProperty("question").GetString()!)];
}
