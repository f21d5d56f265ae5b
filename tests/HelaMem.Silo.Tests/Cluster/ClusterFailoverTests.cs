using System.Diagnostics;
using System.Globalization;
using System.Net;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>
/// Three silo processes on one storage backend under ingest and search load through a client that knows every silo:
/// a silo killed with SIGKILL loses no acknowledged ingest and its graphs answer again from a survivor within 10 s,
/// and it rejoins when restarted; a silo stopped with SIGTERM fails no request; a storage outage answers 503, loses
/// nothing and declares no silo dead. Each backend runs the same scenarios (a subclass per backend).
/// </summary>
public abstract class ClusterFailoverTests(ITestOutputHelper output)
{
    /// <summary>The longest a killed silo's graphs may stay unanswered (issue: within 10 s, measured).</summary>
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(10);

    // Shorter than the membership's tolerance (2 missed probes of 2 s each, HelaMem:Cluster:Membership).
    private static readonly TimeSpan ShortStall = TimeSpan.FromSeconds(1.5);

    // A frozen silo is found out by time-outs, not refused connections: the survivors' answer may wait for one.
    private static readonly TimeSpan ClientTimeoutAllowance = TimeSpan.FromSeconds(5);

    /// <summary>The backend's name in the test output.</summary>
    protected abstract string Backend { get; }

    /// <summary>The profile and its connection for a cluster of its own (a fresh service and cluster id on the shared server).</summary>
    protected abstract Task<Dictionary<string, string>> ClusterEnvironmentAsync();

    /// <summary>A storage server of the test's own (not shared: the outage test stops it), and the cluster's environment on it.</summary>
    protected abstract Task<(IAsyncDisposable Server, Func<Task> Stop, Func<Task> Start, Dictionary<string, string> Environment)> OwnStorageAsync();

    protected static Dictionary<string, string> Ids(Dictionary<string, string> environment)
    {
        var id = $"c{Guid.NewGuid():N}"[..12];
        environment["HelaMem__Cluster__ServiceId"] = id;
        environment["HelaMem__Cluster__ClusterId"] = id;
        return environment;
    }

    [Fact]
    public async Task A_killed_silo_loses_no_acknowledged_ingest_its_graphs_answer_again_in_time_and_it_rejoins_when_restarted()
    {
        await using var cluster = await SiloCluster.StartAsync(await ClusterEnvironmentAsync());
        var apiKey = await CreateTenantAsync(cluster);
        using var client = cluster.Client(apiKey);
        using var load = new ClusterLoad(client, workers: 4, usersPerWorker: 6).Start();

        // Warm up: every user's graph is active on some silo, a third of them on the one that dies.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var killedAt = load.Now;
        await cluster.KillAsync(1);
        var recovery = await EveryUserAnswersAsync(cluster, apiKey, load.Users, survivors: [0, 2], TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var (failed, total) = load.Window(killedAt, killedAt + recovery);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Backend}: SIGKILL of 1 of 3 silos; every user answered again after {recovery.TotalSeconds:0.00} s; {failed} of {total} requests failed in that window after the client's retries"));
        foreach (var failure in load.Requests.Where(r => !r.Ok).Take(5))
        {
            output.WriteLine($"  {failure.At.TotalSeconds:0.00} s {failure.What}");
        }

        Assert.True(recovery <= FailoverLimit, $"the killed silo's graphs answered again only after {recovery}");
        await AssertEveryAcknowledgedMessageIsStoredOnceAsync(client, load);

        // The killed silo starts again, joins the cluster as a new incarnation, and new graphs are placed on it.
        await cluster.RestartAsync(1);
        using var operatorClient = cluster.Client();
        await WaitForActiveSilosAsync(operatorClient, 3, TimeSpan.FromSeconds(30));
        await AssertNewGraphsLandOnAsync(cluster, apiKey, silo: 1);
    }

    [Fact]
    public async Task A_frozen_silo_survives_a_short_stall_is_declared_dead_after_a_long_one_and_leaves_by_itself_when_it_thaws()
    {
        var environment = await ClusterEnvironmentAsync();
        foreach (var (name, value) in ActivationLedger.LoggingEnvironment)
        {
            environment[name] = value;
        }

        await using var cluster = await SiloCluster.StartAsync(environment);
        var apiKey = await CreateTenantAsync(cluster);

        // A short client time-out: a frozen silo accepts connections and never answers, so only the time-out moves on.
        using var client = cluster.Client(apiKey, timeout: TimeSpan.FromSeconds(3));
        using var operatorClient = cluster.DirectClient(0, timeout: TimeSpan.FromSeconds(2));
        using var load = new ClusterLoad(client, workers: 4, usersPerWorker: 6).Start();
        await Task.Delay(TimeSpan.FromSeconds(4));

        // A stall shorter than the membership's tolerance (2 probes of 2 s missed), as a long GC pause or CPU starvation.
        await cluster[1].FreezeAsync();
        await Task.Delay(ShortStall);
        await cluster[1].ThawAsync();
        await Task.Delay(TimeSpan.FromSeconds(6));
        Assert.Equal(3, await ActiveSilosAsync(operatorClient));

        // A host that drops off the network: no connection is refused, nothing answers.
        var frozenAt = load.Now;
        await cluster[1].FreezeAsync();
        var declaredDead = Task.Run(async () =>
        {
            var watch = Stopwatch.StartNew();
            await WaitForActiveSilosAsync(operatorClient, 2, TimeSpan.FromSeconds(60));
            return watch.Elapsed;
        });
        var recovery = await EveryUserAnswersAsync(cluster, apiKey, load.Users, survivors: [0, 2], TimeSpan.FromSeconds(60));
        var deathDeclaredAfter = await declaredDead;
        var (failed, total) = load.Window(frozenAt, frozenAt + recovery);

        // Thawed, it finds itself declared dead and stops; whatever it still held must not overwrite its successors.
        await cluster[1].ThawAsync();
        var left = await cluster[1].ExitsWithinAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await load.StopAsync();

        var users = load.Users.ToList();
        var lifetimes = ActivationLedger.Lifetimes(cluster.Processes(), DateTimeOffset.UtcNow)
            .Where(l => users.Any(u => l.Graph.EndsWith("/" + u, StringComparison.Ordinal)))
            .ToList();
        var zombies = ActivationLedger.Duplicates(lifetimes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Backend}: a {ShortStall.TotalSeconds:0.0} s stall declared no silo dead; frozen for good, it was declared dead after {deathDeclaredAfter.TotalSeconds:0.00} s and every user answered again after {recovery.TotalSeconds:0.00} s; {failed} of {total} requests failed in that window after the client's retries; thawed, the silo {(left ? "exited by itself" : "kept running")}; {zombies.Count} of {lifetimes.Count} graph activations overlapped a successor while frozen"));
        foreach (var failure in load.Requests.Where(r => !r.Ok).Take(5))
        {
            output.WriteLine($"  {failure.At.TotalSeconds:0.00} s {failure.What}");
        }

        foreach (var silo in lifetimes.GroupBy(l => l.Silo))
        {
            output.WriteLine($"  {silo.Key}: {silo.Count()} graph activations, {silo.Select(l => l.Graph).Distinct().Count()} graphs");
        }

        Assert.True(recovery <= FailoverLimit + ClientTimeoutAllowance, $"the frozen silo's graphs answered again only after {recovery}");
        Assert.True(left, "the thawed silo did not leave the cluster after it had been declared dead");
        var frozenSilo = $":{cluster[1].SiloPort}:";
        Assert.All(zombies, pair => Assert.True(pair.First.Silo.Contains(frozenSilo, StringComparison.Ordinal) || pair.Second.Silo.Contains(frozenSilo, StringComparison.Ordinal),
            $"two activations of {pair.First.Graph} overlapped on silos that never froze: {pair.First.Silo} and {pair.Second.Silo}"));
        await AssertEveryAcknowledgedMessageIsStoredOnceAsync(client, load);
    }

    [Fact]
    public async Task A_silo_stopped_with_sigterm_under_load_fails_no_request_and_loses_nothing()
    {
        await using var cluster = await SiloCluster.StartAsync(await ClusterEnvironmentAsync());
        var apiKey = await CreateTenantAsync(cluster);
        using var client = cluster.Client(apiKey);
        using var load = new ClusterLoad(client, workers: 4, usersPerWorker: 6).Start();
        await Task.Delay(TimeSpan.FromSeconds(4));

        var stoppedAt = load.Now;
        var watch = Stopwatch.StartNew();
        await cluster.StopAsync(1, TimeSpan.FromSeconds(60));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Backend}: SIGTERM of 1 of 3 silos took {watch.Elapsed.TotalSeconds:0.00} s to exit"));
        await Task.Delay(TimeSpan.FromSeconds(4));
        await load.StopAsync();

        var failures = load.Requests.Where(r => !r.Ok).ToList();
        output.WriteLine($"{Backend}: {failures.Count} of {load.Requests.Count} requests failed after the client's retries");
        Assert.True(failures.Count == 0, string.Join('\n', failures.Take(10).Select(f => f.What)));
        Assert.True(load.Window(stoppedAt, load.Now).Total > 0, "no load ran after the stop");
        await AssertEveryAcknowledgedMessageIsStoredOnceAsync(client, load);
    }

    [Fact]
    public async Task A_storage_outage_answers_503_loses_nothing_recovers_by_itself_and_declares_no_silo_dead()
    {
        var (server, stopStorage, startStorage, environment) = await OwnStorageAsync();
        await using (server)
        {
            await using var cluster = await SiloCluster.StartAsync(Ids(environment));
            var apiKey = await CreateTenantAsync(cluster);
            using var client = cluster.Client(apiKey);
            using var load = new ClusterLoad(client, workers: 3, usersPerWorker: 4).Start();
            await Task.Delay(TimeSpan.FromSeconds(3));

            // The storage goes away for 10 s; what each silo answers meanwhile (no retries) is collected.
            await stopStorage();
            var statuses = await ProbeStatusesAsync(cluster, apiKey, TimeSpan.FromSeconds(10));
            await startStorage();
            var restoredAt = load.Now;

            // Recovery without intervention: an ingest succeeds again through every silo.
            var recovery = await EverySiloIngestsAsync(cluster, apiKey, TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(2));
            await load.StopAsync();

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Backend}: storage down 10 s; answers meanwhile: {string.Join(", ", statuses.GroupBy(s => s).OrderBy(g => g.Key).Select(g => $"{g.Key} x{g.Count()}"))}; every silo ingested again {recovery.TotalSeconds:0.00} s after the storage came back"));
            if (statuses.Contains((int)HttpStatusCode.InternalServerError))
            {
                // What the silos logged for their 500s (the API's own answer names only a trace id).
                foreach (var silo in Enumerable.Range(0, 3))
                {
                    var log = cluster[silo].Output;
                    var at = log.IndexOf("Unhandled error in", StringComparison.Ordinal);
                    if (at >= 0)
                    {
                        output.WriteLine($"silo {silo}: {log.Substring(at, Math.Min(1500, log.Length - at))}");
                    }
                }
            }

            Assert.DoesNotContain(statuses, s => s == (int)HttpStatusCode.InternalServerError);
            Assert.Contains(statuses, s => s == (int)HttpStatusCode.ServiceUnavailable);
            Assert.True(load.Window(restoredAt, load.Now).Total > 0);
            await AssertEveryAcknowledgedMessageIsStoredOnceAsync(client, load);

            using var operatorClient = cluster.Client();
            Assert.Equal(3, await ActiveSilosAsync(operatorClient));
        }
    }

    [Fact]
    public async Task Kills_and_restarts_while_silos_race_to_activate_the_same_graphs_lose_no_write_store_none_twice_and_activate_none_twice()
    {
        var environment = await ClusterEnvironmentAsync();
        foreach (var (name, value) in ActivationLedger.LoggingEnvironment)
        {
            environment[name] = value;
        }

        await using var cluster = await SiloCluster.StartAsync(environment);
        var apiKey = await CreateTenantAsync(cluster);

        // Three clients that start on different silos, so the first calls for a user arrive at three silos at once
        // and race to place and activate its graph, while silos die and come back.
        var clients = Enumerable.Range(0, 3).Select(first => new HelaMemClient(new HelaMemClientOptions
        {
            BaseAddresses = [.. Enumerable.Range(0, 3).Select(i => cluster.Urls[(first + i) % 3])],
            ApiKey = apiKey,
            MaxRetries = 6,
            RetryBaseDelay = TimeSpan.FromMilliseconds(100),
            MaxRetryDelay = TimeSpan.FromSeconds(2),
            Timeout = TimeSpan.FromSeconds(15),
        })).ToList();
        var acknowledged = new System.Collections.Concurrent.ConcurrentDictionary<string, System.Collections.Concurrent.ConcurrentBag<string>>();
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var racers = Task.Run(async () =>
        {
            for (var round = 0; !stop.IsCancellationRequested; round++)
            {
                var user = $"race-{round}";
                await Task.WhenAll(clients.Select(async (client, c) =>
                {
                    var content = $"first call {c} for {user}";
                    try
                    {
                        await client.IngestAsync(user, new IngestRequest([new MessageInput(content)]));
                        acknowledged.GetOrAdd(user, _ => []).Add(content);
                    }
                    catch (Exception e) when (e is HelaMemApiException or TimeoutException)
                    {
                        failures.Add($"{user}: {e.Message}");
                    }
                }));
            }
        });

        // Churn: two kills (of different silos) and restarts while the races run.
        foreach (var victim in new[] { 1, 2 })
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            await cluster.KillAsync(victim);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await cluster.RestartAsync(victim);
        }

        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await racers;

        using var reader = cluster.Client(apiKey);
        var users = acknowledged.Keys.ToList();
        foreach (var user in users)
        {
            var stored = (await reader.ListMemoriesAsync(user, offset: 0, limit: 100)).Items.Select(m => m.Content).ToList();
            Assert.True(stored.Count == stored.Distinct().Count(), $"{user}: a message stored twice: {string.Join(" | ", stored)}");
            var missing = acknowledged[user].Except(stored).ToList();
            Assert.True(missing.Count == 0, $"{user}: acknowledged but missing: {string.Join(" | ", missing)}");
        }

        // Single activation, counted directly: every graph activation's lifetime on every silo process, killed or not.
        var lifetimes = ActivationLedger.Lifetimes(cluster.Processes(), DateTimeOffset.UtcNow)
            .Where(l => users.Any(u => l.Graph.EndsWith("/" + u, StringComparison.Ordinal)))
            .ToList();
        var duplicates = ActivationLedger.Duplicates(lifetimes);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Backend}: {users.Count} users raced by 3 silos at once through 2 kills and restarts; {acknowledged.Values.Sum(b => b.Count)} first calls acknowledged, {failures.Count} failed after the client's retries; 0 lost, 0 stored twice; {lifetimes.Count} graph activations, {duplicates.Count} overlapping on two silos"));
        foreach (var failure in failures.Take(3))
        {
            output.WriteLine($"  {failure}");
        }

        foreach (var (first, second) in duplicates.Take(5))
        {
            output.WriteLine($"  duplicate: {first} and {second}");
        }

        Assert.True(users.Count >= 5, $"only {users.Count} users raced");
        Assert.True(lifetimes.Select(l => l.Graph).Distinct().Count() >= users.Count, $"the silos logged activations of {lifetimes.Select(l => l.Graph).Distinct().Count()} of {users.Count} raced graphs");
        Assert.Empty(duplicates);
        clients.ForEach(c => c.Dispose());
    }

    private static async Task<string> CreateTenantAsync(SiloCluster cluster)
    {
        using var operatorClient = cluster.Client();
        return (await operatorClient.CreateTenantAsync(new CreateTenantRequest($"chaos-{Guid.NewGuid():N}"[..16]))).ApiKey;
    }

    // From now until every user's search has succeeded through a surviving silo (each user asked until it answers).
    private static async Task<TimeSpan> EveryUserAnswersAsync(SiloCluster cluster, string apiKey, IEnumerable<string> users, int[] survivors, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        var waiting = users.ToList();
        // Short per-request time-outs: a request parked on a silo that is not answering yet is asked again, so the
        // measurement is not the time-out of one unlucky request.
        var clients = survivors.Select(i => cluster.DirectClient(i, apiKey, TimeSpan.FromSeconds(2))).ToList();
        try
        {
            for (var round = 0; waiting.Count > 0; round++)
            {
                Assert.True(watch.Elapsed < deadline, $"{waiting.Count} users still unanswered after {deadline}");
                var answered = await Task.WhenAll(waiting.Select(async (user, i) =>
                {
                    try
                    {
                        await clients[(i + round) % clients.Count].SearchAsync(user, new SearchRequest("What did the load test write?"));
                        return true;
                    }
                    catch (Exception e) when (e is HelaMemApiException or TimeoutException)
                    {
                        return false;
                    }
                }));
                waiting = [.. waiting.Where((_, i) => !answered[i])];
                if (waiting.Count > 0)
                {
                    await Task.Delay(100);
                }
            }

            return watch.Elapsed;
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }
    }

    private static async Task<List<int>> ProbeStatusesAsync(SiloCluster cluster, string apiKey, TimeSpan duration)
    {
        var statuses = new List<int>();
        var clients = Enumerable.Range(0, 3).Select(i => cluster.DirectClient(i, apiKey)).ToList();
        var watch = Stopwatch.StartNew();
        for (var n = 0; watch.Elapsed < duration; n++)
        {
            try
            {
                await clients[n % 3].IngestAsync($"probe-{n % 5}", new IngestRequest([new MessageInput($"probe {n}")]));
                statuses.Add(200);
            }
            catch (HelaMemApiException e) when (e.StatusCode is { } status)
            {
                statuses.Add((int)status);
            }
            catch (TimeoutException)
            {
                statuses.Add(0);
            }

            await Task.Delay(200);
        }

        clients.ForEach(c => c.Dispose());
        return statuses;
    }

    private static async Task<TimeSpan> EverySiloIngestsAsync(SiloCluster cluster, string apiKey, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        for (var silo = 0; silo < 3; silo++)
        {
            using var direct = cluster.DirectClient(silo, apiKey);
            while (true)
            {
                Assert.True(watch.Elapsed < deadline, $"silo {silo} does not ingest {deadline} after the storage came back");
                try
                {
                    await direct.IngestAsync($"after-{silo}", new IngestRequest([new MessageInput("after the outage")]));
                    break;
                }
                catch (Exception e) when (e is HelaMemApiException or TimeoutException)
                {
                    await Task.Delay(200);
                }
            }
        }

        return watch.Elapsed;
    }

    // Every acknowledged message is in its user's memory exactly once (and no message is there twice).
    private static async Task AssertEveryAcknowledgedMessageIsStoredOnceAsync(HelaMemClient client, ClusterLoad load)
    {
        var acknowledged = 0;
        foreach (var (user, messages) in load.Acknowledged)
        {
            var stored = new List<string>();
            for (var offset = 0; ; offset += 100)
            {
                var page = await client.ListMemoriesAsync(user, offset: offset, limit: 100);
                stored.AddRange(page.Items.Select(m => m.Content));
                if (page.Items.Count < 100)
                {
                    break;
                }
            }

            var duplicates = stored.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{user}: stored twice: {string.Join(" | ", duplicates.Take(3))}");
            var missing = messages.Except(stored).ToList();
            Assert.True(missing.Count == 0, $"{user}: {missing.Count} acknowledged messages missing, e.g. {missing.FirstOrDefault()}");
            acknowledged += messages.Count;
        }

        Assert.True(acknowledged >= 10, $"only {acknowledged} messages were acknowledged: the load did not run");
    }

    private static async Task<int> ActiveSilosAsync(HelaMemClient operatorClient) =>
        (await operatorClient.GetOperatorStatsAsync()).Silos.Count(s => s.Status == "Active");

    // While a silo is frozen, the statistics can wait on it (its grains are not answering yet): that is no answer.
    private static async Task<int?> ActiveSilosOrNoAnswerAsync(HelaMemClient operatorClient)
    {
        try
        {
            return await ActiveSilosAsync(operatorClient);
        }
        catch (Exception e) when (e is TimeoutException or HelaMemApiException)
        {
            return null;
        }
    }

    private static async Task WaitForActiveSilosAsync(HelaMemClient operatorClient, int count, TimeSpan deadline)
    {
        var watch = Stopwatch.StartNew();
        while (await ActiveSilosOrNoAnswerAsync(operatorClient) != count)
        {
            Assert.True(watch.Elapsed < deadline, $"the cluster did not reach {count} active silos within {deadline}");
            await Task.Delay(250);
        }
    }

    // Placement hashes each user over the silos it knows to be compatible: a silo that joined is among them once the
    // cluster's manifest has its grain types (a few seconds after it is Active). New users then land on it too.
    private async Task AssertNewGraphsLandOnAsync(SiloCluster cluster, string apiKey, int silo)
    {
        using var client = cluster.Client(apiKey);
        using var operatorClient = cluster.Client();
        var watch = Stopwatch.StartNew();
        for (var round = 0; ; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                await client.IngestAsync($"after-restart-{round}-{i}", new IngestRequest([new MessageInput("a user who arrived after the restart")]));
            }

            var silos = (await operatorClient.GetOperatorStatsAsync()).Silos;
            var restarted = silos.Single(s => s.Status == "Active" && s.Address.Contains($":{cluster[silo].SiloPort}:", StringComparison.Ordinal));
            if (restarted.UserGraphs > 0)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{Backend}: the restarted silo held {restarted.UserGraphs} of the new users' graphs {watch.Elapsed.TotalSeconds:0.0} s after it was active"));
                return;
            }

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"no new user's graph landed on the restarted silo {restarted.Address} within 60 s: {string.Join("; ", silos.Select(x => $"{x.Address} {x.Status} {x.Activations} {x.UserGraphs}"))}");
            await Task.Delay(1000);
        }
    }
}
