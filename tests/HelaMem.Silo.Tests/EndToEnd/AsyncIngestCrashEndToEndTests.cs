using HelaMem.Client;
using HelaMem.Client.Contracts;
using HelaMem.Silo.Tests.Infrastructure;
using Xunit.Abstractions;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// An accepted (202) asynchronous ingest survives a SIGKILL of its silo part-way through: the silo started again on the
/// same data directory finishes the job, and every message is stored exactly once, in order.
/// </summary>
public sealed class AsyncIngestCrashEndToEndTests(ITestOutputHelper output)
{
    private const string OperatorKey = "async-crash-operator-key-0123456789";
    private const int Messages = 1200;

    [Fact]
    public async Task A_job_killed_part_way_is_finished_by_the_restarted_silo_with_every_message_once()
    {
        using var data = new TempDirectory("helamem-async-crash");
        using var emptyCache = new TempDirectory("helamem-async-crash-cache");
        var environment = new Dictionary<string, string> { ["HELAMEM_CACHE_DIR"] = emptyCache.Path };
        var request = new IngestRequest([.. Enumerable.Range(0, Messages).Select(i => new MessageInput($"import line {i}: invoice {i * 7} was paid", "Alice", ConversationId: "import"))]);
        string apiKey;
        IngestJob accepted;
        int doneAtKill;

        await using (var silo = await SiloProcess.StartAsync(data.Path, OperatorKey, environment))
        {
            using var ops = Client(silo.Url, operatorKey: OperatorKey);
            apiKey = (await ops.CreateTenantAsync(new CreateTenantRequest("jobs", new TenantQuotas(MaxMessagesPerIngest: 20)))).ApiKey;
            using var client = Client(silo.Url, apiKey: apiKey);
            accepted = await client.SubmitIngestAsync("u", request);

            // Kill it once some chunks are stored and many are not.
            var job = accepted;
            while (job.MessagesDone < 100)
            {
                await Task.Delay(20);
                job = await client.GetIngestJobAsync("u", accepted.JobId);
            }

            doneAtKill = job.MessagesDone;
            await silo.KillAsync();
        }

        Assert.True(doneAtKill < Messages, $"the job finished ({doneAtKill}) before the kill: the test proves nothing");
        await using var restarted = await SiloProcess.StartAsync(data.Path, OperatorKey, environment);
        using var again = Client(restarted.Url, apiKey: apiKey);
        var finished = await again.WaitForIngestJobAsync("u", accepted.JobId, TimeSpan.FromMilliseconds(100)).WaitAsync(TimeSpan.FromMinutes(3));
        output.WriteLine($"{doneAtKill} of {Messages} messages stored at the kill; the restarted silo finished the job: {finished.Status}");
        Assert.Equal(("succeeded", Messages), (finished.Status, finished.MessagesDone));
        Assert.Equal(Enumerable.Range(0, Messages).Select(i => (long)i), finished.NodeIds);

        var contents = new List<string>();
        while (true)
        {
            var page = await again.ListMemoriesAsync("u", contents.Count, 500);
            contents.AddRange(page.Items.Select(m => m.Content));
            if (page.Items.Count == 0 || contents.Count >= page.Total)
            {
                break;
            }
        }

        Assert.Equal(request.Messages!.Select(m => m.Content!), contents);
    }

    private static HelaMemClient Client(Uri url, string? apiKey = null, string? operatorKey = null) =>
        new(new HelaMemClientOptions { BaseAddress = url, ApiKey = apiKey, OperatorKey = operatorKey, MaxRetries = 0 });
}
