using System.Collections.Concurrent;
using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The durability contract with a real crash: writers ingest concurrently into several users of a silo process, the
/// process is killed (SIGKILL) while they are still sending, and the silo started again on the same data directory has
/// every message whose ingest was acknowledged, none of them twice, and takes new ingests after them.
/// </summary>
public sealed class CrashDuringIngestEndToEndTests(ITestOutputHelper output)
{
    private const string OperatorKey = "crash-operator-key-0123456789";
    private const int BatchSize = 3;
    private const int WritersPerUser = 2;

    // Acknowledged batches before the kill: enough that every writer is well into its loop.
    private const int BatchesBeforeKill = 30;

    private static readonly string[] Users = ["u0", "u1", "u2", "u3"];

    [Fact]
    public async Task Every_acknowledged_message_survives_a_kill_during_concurrent_ingest_and_none_is_stored_twice()
    {
        using var data = new TempDirectory("helamem-crash-e2e");
        using var emptyCache = new TempDirectory("helamem-crash-cache");
        var environment = new Dictionary<string, string> { ["HELAMEM_CACHE_DIR"] = emptyCache.Path };
        var acknowledged = Users.ToDictionary(user => user, _ => new ConcurrentBag<string>());
        string apiKey;

        await using (var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, environment))
        {
            using var ops = Client(silo.Url, operatorKey: OperatorKey);
            apiKey = (await ops.CreateTenantAsync(new CreateTenantRequest("crash"))).ApiKey;
            using var client = Client(silo.Url, apiKey: apiKey);

            var killing = false;
            var batches = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            async Task WriteAsync(string user, int writer)
            {
                for (var batch = 0; ; batch++)
                {
                    var messages = Enumerable.Range(0, BatchSize)
                        .Select(i => new MessageInput($"{user} writer {writer} batch {batch} message {i}: we talked about the garden and the weather", "Alice"))
                        .ToList();
                    try
                    {
                        await client.IngestAsync(user, new IngestRequest(messages));
                    }
                    catch (HelaMemApiException) when (Volatile.Read(ref killing))
                    {
                        // The silo died with this request in flight: its outcome is unknown, so it is not counted.
                        return;
                    }

                    foreach (var message in messages)
                    {
                        acknowledged[user].Add(message.Content!);
                    }

                    if (Interlocked.Increment(ref batches) == BatchesBeforeKill)
                    {
                        enough.TrySetResult();
                    }
                }
            }

            var writers = Users.SelectMany(user => Enumerable.Range(0, WritersPerUser).Select(writer => WriteAsync(user, writer))).ToList();

            // A writer that fails before the kill fails the test here (WhenAny returns it), instead of waiting forever.
            var first = await Task.WhenAny([enough.Task, .. writers]);
            await first;
            Assert.Same(enough.Task, first);
            Volatile.Write(ref killing, true);
            await silo.KillAsync();
            await Task.WhenAll(writers);
        }

        Assert.True(acknowledged.Values.Sum(bag => bag.Count) >= BatchesBeforeKill * BatchSize);
        await using var restarted = await SiloProcess.StartAsync(data.Path, OperatorKey, environment);
        using var again = Client(restarted.Url, apiKey: apiKey);
        foreach (var user in Users)
        {
            var stored = await AllMemoriesAsync(again, user);
            var contents = stored.Select(m => m.Content).ToList();
            Assert.Equal(contents.Count, contents.Distinct(StringComparer.Ordinal).Count());
            Assert.All(acknowledged[user], message => Assert.Contains(message, contents));
            Assert.Equal(Enumerable.Range(0, stored.Count).Select(i => (long)i), stored.Select(m => m.Id));
            Assert.Equal(stored.Count, (await again.GetUserStatsAsync(user)).Nodes);
            output.WriteLine($"{user}: {acknowledged[user].Count} messages acknowledged before the kill, {stored.Count} stored after the restart");

            // The graph continues after what it kept.
            var after = new MessageInput($"{user} after the restart: the garden survived the storm", "Alice");
            var receipt = await again.IngestAsync(user, new IngestRequest([after]));
            Assert.Equal([(long)stored.Count], receipt.NodeIds);
            var now = await AllMemoriesAsync(again, user);
            Assert.Equal(stored.Count + 1, now.Count);
            Assert.Equal(after.Content, now[^1].Content);
            Assert.Equal(now.Count, now.Select(m => m.Content).Distinct(StringComparer.Ordinal).Count());
        }
    }

    private static HelaMemClient Client(Uri url, string? apiKey = null, string? operatorKey = null) =>
        new(new HelaMemClientOptions { BaseAddress = url, ApiKey = apiKey, OperatorKey = operatorKey, MaxRetries = 0 });

    private static async Task<List<MemoryRecord>> AllMemoriesAsync(HelaMemClient client, string user)
    {
        var all = new List<MemoryRecord>();
        while (true)
        {
            var page = await client.ListMemoriesAsync(user, offset: all.Count, limit: 100);
            all.AddRange(page.Items);
            if (page.Items.Count == 0 || all.Count >= page.Total)
            {
                return all;
            }
        }
    }
}
