using System.Collections.Concurrent;
using System.Diagnostics;
using HelaMem.Client;
using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Tests.Cluster;

/// <summary>
/// Ingest and search load through a client over every silo: each worker ingests one message at a time into its own
/// users (content unique per message) and searches in between. It records every acknowledged message per user, and
/// every request with its time and outcome, so a test can check that nothing acknowledged was lost and report the
/// error rate of a failover window.
/// </summary>
internal sealed class ClusterLoad(HelaMemClient client, int workers, int usersPerWorker) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _running;

    private readonly ConcurrentDictionary<string, ConcurrentBag<string>> _acknowledged = new();
    private readonly ConcurrentQueue<(TimeSpan At, bool Ok, string What)> _requests = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    /// <summary>Every acknowledged message, by user.</summary>
    public IReadOnlyDictionary<string, ConcurrentBag<string>> Acknowledged => _acknowledged;

    /// <summary>Time since the load was created (the clock of <see cref="Requests"/>).</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>Every request that finished: when, whether it succeeded (after the client's own retries), what failed.</summary>
    public IReadOnlyCollection<(TimeSpan At, bool Ok, string What)> Requests => _requests;

    public IEnumerable<string> Users => Enumerable.Range(0, workers).SelectMany(w => Enumerable.Range(0, usersPerWorker).Select(u => User(w, u)));

    /// <summary>Starts the workers; they run until <see cref="StopAsync"/>.</summary>
    public ClusterLoad Start()
    {
        _running = Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(() => WorkAsync(worker, _stop.Token), CancellationToken.None)));
        return this;
    }

    /// <summary>Lets every worker finish its current request and waits for them.</summary>
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await (_running ?? Task.CompletedTask);
    }

    public void Dispose() => _stop.Dispose();

    /// <summary>Requests that failed between <paramref name="from"/> and <paramref name="until"/>, and all of them then.</summary>
    public (int Failed, int Total) Window(TimeSpan from, TimeSpan until)
    {
        var inWindow = _requests.Where(r => r.At >= from && r.At <= until).ToList();
        return (inWindow.Count(r => !r.Ok), inWindow.Count);
    }

    private static string User(int worker, int index) => $"w{worker}-u{index}";

    private async Task WorkAsync(int worker, CancellationToken stop)
    {
        for (var sequence = 0; !stop.IsCancellationRequested; sequence++)
        {
            var user = User(worker, sequence % usersPerWorker);
            var content = $"Message {sequence} of worker {worker}: the load test wrote this for {user}.";
            await RecordAsync(async () =>
            {
                await client.IngestAsync(user, new IngestRequest([new MessageInput(content, "tester")]), CancellationToken.None);
                _acknowledged.GetOrAdd(user, _ => []).Add(content);
            }, "ingest");
            await RecordAsync(() => client.SearchAsync(user, new SearchRequest("What did the load test write?"), CancellationToken.None), "search");
        }
    }

    private async Task RecordAsync(Func<Task> request, string what)
    {
        try
        {
            await request();
            _requests.Enqueue((_clock.Elapsed, true, what));
        }
#pragma warning disable CA1031 // Every failure counts the same: the error rate is what the test reports.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _requests.Enqueue((_clock.Elapsed, false, $"{what}: {e.GetType().Name}: {e.Message}"));
        }
    }
}
