using System.Collections.Concurrent;
using System.Diagnostics;
using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Tests.Servers;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>
/// PostgreSQL stopped (<c>pg_ctl stop -m fast</c>) in the middle of writes and started again: every failing call
/// throws <see cref="PostgresUnavailableException"/> (what the silo answers with 503), no acknowledged write is lost,
/// and the same provider instance works again by itself once the server is back. Runs on a server of its own, so
/// the shared one is never stopped under other tests.
/// </summary>
public sealed class PostgresOutageTests : IAsyncLifetime
{
    private const int Writers = 8;
    private PostgresServer? _server;

    private PostgresServer Server => _server ?? throw new InvalidOperationException("The server is started in InitializeAsync.");

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync("helamem_outage");

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Writes_fail_as_unavailable_during_a_stop_lose_nothing_acknowledged_and_recover_by_themselves()
    {
        var serviceId = PostgresTestStores.NewServiceId();
        var scope = new ConformanceScope();
        await using var storage = await PostgresTestStores.StartedStorageAsync(Server, serviceId, options => options.CommandTimeout = TimeSpan.FromSeconds(5));
        var acknowledged = new long[Writers];
        var unavailable = new ConcurrentBag<PostgresUnavailableException>();
        var unexpected = new ConcurrentBag<Exception>();
        var succeededAt = new ConcurrentBag<(int Writer, long Started, long Acknowledged)>();
        using var stop = new CancellationTokenSource();

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var grain = scope.Grain($"writer-{writer}");
            var state = new GrainState<Note>(new Note());
            var mustReread = false;
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    if (mustReread)
                    {
                        // A failed write may or may not have been applied: start again from what is stored.
                        state = await storage.ReadAsync(grain);
                        mustReread = false;
                    }

                    state.State!.Count++;
                    state.State.Text = $"write {state.State.Count}";
                    var started = Stopwatch.GetTimestamp();
                    await storage.WriteStateAsync(GrainStorageCalls.StateName, grain, state);
                    Volatile.Write(ref acknowledged[writer], state.State.Count);
                    succeededAt.Add((writer, started, Stopwatch.GetTimestamp()));
                }
                catch (PostgresUnavailableException error)
                {
                    unavailable.Add(error);
                    mustReread = true;
                    await Task.Delay(50);
                }
#pragma warning disable CA1031 // Any other failure is what the test looks for; it is collected and asserted on.
                catch (Exception error)
#pragma warning restore CA1031
                {
                    unexpected.Add(error);
                    mustReread = true;
                    await Task.Delay(50);
                }
            }
        })).ToArray();

        await WaitUntilAsync(() => acknowledged.All(count => count >= 5), "every writer had written 5 times before the outage");
        await Server.StopAsync();
        var stoppedAt = Stopwatch.GetTimestamp();
        var acknowledgedBeforeRestart = new long[Writers];
        await Task.Delay(TimeSpan.FromSeconds(3));
        await WaitUntilAsync(() => unavailable.Count >= Writers, "the writers noticed the outage");

        Array.Copy(acknowledged, acknowledgedBeforeRestart, Writers);
        var restartingAt = Stopwatch.GetTimestamp();
        await Server.RestartAsync();
        await WaitUntilAsync(
            () => Enumerable.Range(0, Writers).All(writer => Volatile.Read(ref acknowledged[writer]) >= acknowledgedBeforeRestart[writer] + 5),
            "every writer wrote 5 more times after the restart, through the same provider",
            TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        Assert.True(unexpected.IsEmpty, $"calls failed with other exceptions than PostgresUnavailableException: {string.Join(" | ", unexpected.Select(e => e.GetType().Name + ": " + e.Message).Distinct().Take(5))}");
        Assert.All(unavailable, error =>
        {
            Assert.Contains("is unavailable", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, error.Message, StringComparison.Ordinal);
            // The driver's reason is in the message; no driver exception is attached, since Orleans must be able to
            // carry the exception back to the silo that made the grain call.
            Assert.Matches(@"failed \(.+\)", error.Message);
            Assert.Null(error.InnerException);
        });

        // No write that began while the server was down succeeded before it came back (pg_ctl stop -w returns once it is
        // down). A write that began before the stop may see its acknowledgement run late on a loaded machine, so the
        // start is what is compared, not when the continuation ran.
        Assert.DoesNotContain(succeededAt, success => success.Started > stoppedAt && success.Acknowledged < restartingAt);

        // Nothing acknowledged is lost: a fresh provider (its own pool) finds each writer's last acknowledged write
        // or a later one whose acknowledgement the outage swallowed.
        await using var fresh = await PostgresTestStores.StartedStorageAsync(Server, serviceId);
        for (var writer = 0; writer < Writers; writer++)
        {
            var stored = await fresh.ReadAsync(scope.Grain($"writer-{writer}"));
            Assert.True(stored.RecordExists);
            Assert.InRange(stored.State!.Count, acknowledged[writer], acknowledged[writer] + 1);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(50);
        }
    }
}
