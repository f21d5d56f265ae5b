using HelaMem.Persistence.Postgres;
using HelaMem.Persistence.Tests.Conformance;
using HelaMem.Tests.Servers;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>PostgreSQL-only grain storage behaviour: several silos' providers on one database, and services kept apart.</summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresGrainStorageTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Writers_on_three_silos_holding_the_same_etag_have_exactly_one_winner_per_round()
    {
        var serviceId = PostgresTestStores.NewServiceId();
        var silos = new List<PostgresGrainStorage>();
        for (var i = 0; i < 3; i++)
        {
            silos.Add(await PostgresTestStores.StartedStorageAsync(fixture.Server, serviceId));
        }

        try
        {
            var grain = new ConformanceScope().Grain();
            string? eTag = null;
            for (var round = 0; round < 5; round++)
            {
                var expected = eTag;
                var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var attempts = Enumerable.Range(0, 21).Select(writer => Task.Run(async () =>
                {
                    await gate.Task;
                    try
                    {
                        return (Text: $"round {round} writer {writer}", ETag: (string?)await silos[writer % 3].WriteAsync(grain, $"round {round} writer {writer}", expected));
                    }
                    catch (InconsistentStateException)
                    {
                        return (Text: "", ETag: null);
                    }
                })).ToArray();
                gate.SetResult();

                var winner = Assert.Single(await Task.WhenAll(attempts), outcome => outcome.ETag is not null);
                foreach (var silo in silos)
                {
                    var read = await silo.ReadAsync(grain);
                    Assert.Equal(winner.ETag, read.ETag);
                    Assert.Equal(winner.Text, read.State!.Text);
                }

                eTag = winner.ETag;
            }
        }
        finally
        {
            foreach (var silo in silos)
            {
                await silo.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Services_sharing_a_database_never_see_each_others_state()
    {
        await using var first = await PostgresTestStores.StartedStorageAsync(fixture.Server, PostgresTestStores.NewServiceId());
        await using var second = await PostgresTestStores.StartedStorageAsync(fixture.Server, PostgresTestStores.NewServiceId());
        var grain = new ConformanceScope().Grain();

        var firstETag = await first.WriteAsync(grain, "first service", null);
        var secondETag = await second.WriteAsync(grain, "second service", null);
        await first.ClearAsync(grain, firstETag);

        Assert.Null(await first.ReadTextAsync(grain));
        Assert.Equal("second service", await second.ReadTextAsync(grain));
        Assert.Equal(secondETag, (await second.ReadAsync(grain)).ETag);
    }
}
