using HelaMem.Persistence.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>
/// The exception of an outage crosses silos: a grain call that failed writing its state answers the calling silo with
/// it, so Orleans must serialize it (without a codec the caller got a CodecNotFoundException, which the API answered
/// with 500 instead of 503; found by the three-silo outage test).
/// </summary>
public sealed class PostgresUnavailableSerializationTests
{
    [Fact]
    public void Orleans_round_trips_the_outage_exception_with_its_type_and_message()
    {
        using var services = new ServiceCollection().AddSerializer(builder => builder.AddAssembly(typeof(PostgresUnavailableException).Assembly)).BuildServiceProvider();
        var serializer = services.GetRequiredService<Serializer>();
        var original = new PostgresUnavailableException("PostgreSQL at 127.0.0.1:5432/helamem as postgres is unavailable: write failed (connection refused).");

        var copy = serializer.Deserialize<Exception>(serializer.SerializeToArray<Exception>(original));

        var typed = Assert.IsType<PostgresUnavailableException>(copy);
        Assert.Equal(original.Message, typed.Message);
    }
}
