using System.Text;
using System.Text.Json;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Conformance;
using Microsoft.Data.Sqlite;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Sqlite;

/// <summary>
/// The stored bytes: System.Text.Json in the format the previous release wrote (declared type, PascalCase,
/// unknown members skipped, missing ones at their defaults), the row key from the grain id, and a replaceable serializer.
/// </summary>
public sealed class SqliteStateFormatTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string DatabasePath => Path.Combine(_directory.Path, "helamem.db");

    [Fact]
    public async Task A_grain_id_is_stored_as_its_type_and_key_and_the_state_as_pascal_case_json()
    {
        var grain = GrainId.Create("user-graph", "fixture/alice");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);

        await storage.WriteStateAsync("graph", grain, new GrainState<Note>(new Note { Text = "hi", Count = 2, Tags = ["a"] }));

        var (type, key, state, payload) = SingleRow();
        Assert.Equal("user-graph", type);
        Assert.Equal("fixture/alice", key);
        Assert.Equal("graph", state);
        Assert.Equal("""{"Text":"hi","Count":2,"Tags":["a"]}""", payload);
    }

    [Fact]
    public async Task Stored_json_with_unknown_members_and_missing_ones_reads_with_defaults()
    {
        var grain = GrainId.Create("user-graph", "fixture/alice");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        var eTag = await storage.WriteAsync(grain, "replaced below", null);
        ReplacePayload("""{"Text":"from an older version","Retired":{"Deep":[1,2,3]},"AlsoGone":null}""");

        var read = await storage.ReadAsync(grain);

        Assert.True(read.RecordExists);
        Assert.Equal(eTag, read.ETag);
        Assert.Equal("from an older version", read.State!.Text);
        Assert.Equal(0, read.State!.Count);
        Assert.Empty(read.State!.Tags);
    }

    [Fact]
    public async Task Stored_bytes_that_are_not_the_state_type_fail_the_read_with_an_error_naming_the_grain_and_type()
    {
        var grain = GrainId.Create("tenant", "fixture");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        await storage.WriteAsync(grain, "replaced below", null, stateName: "tenant");
        ReplacePayload("""{"Text":["not","a","string"]}""");
        var state = new GrainState<Note>(new Note { Text = "kept" });

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => storage.ReadStateAsync("tenant", grain, state));

        Assert.Contains("tenant/fixture", error.Message, StringComparison.Ordinal);
        Assert.Contains(typeof(Note).FullName!, error.Message, StringComparison.Ordinal);
        Assert.IsType<JsonException>(error.InnerException);
        Assert.Equal("kept", state.State!.Text);
        Assert.Null(state.ETag);
    }

    [Fact]
    public async Task The_serializer_in_the_options_makes_the_bytes()
    {
        var grain = GrainId.Create("tenant", "fixture");
        var camelCase = new HelaMemJsonGrainStorageSerializer(new JsonSerializerOptions(JsonSerializerDefaults.Web));
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path, options => options.GrainStorageSerializer = camelCase);

        await storage.WriteAsync(grain, "camel", null);

        Assert.Equal("""{"text":"camel","count":0,"tags":[]}""", SingleRow().Payload);
        Assert.Equal("camel", await storage.ReadTextAsync(grain));
    }

    [Fact]
    public void The_default_serializer_uses_the_general_defaults_with_the_reflection_resolver()
    {
        var serializer = Assert.IsType<HelaMemJsonGrainStorageSerializer>(new SqliteStorageOptions().GrainStorageSerializer);

        Assert.False(serializer.Options.PropertyNameCaseInsensitive);
        Assert.Null(serializer.Options.PropertyNamingPolicy);
        Assert.IsType<System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver>(serializer.Options.TypeInfoResolver);
        Assert.Equal("""{"Text":"x","Count":1,"Tags":[]}""", serializer.Serialize(new Note { Text = "x", Count = 1 }).ToString());
    }

    [Fact]
    public async Task A_read_of_a_stored_json_null_gives_the_default_state_of_an_existing_record()
    {
        var grain = GrainId.Create("tenant", "fixture");
        await using var storage = await SqliteTestStores.StartedStorageAsync(_directory.Path);
        var eTag = await storage.WriteAsync(grain, "replaced below", null);
        ReplacePayload("null");

        var read = await storage.ReadAsync(grain);

        Assert.True(read.RecordExists);
        Assert.Equal(eTag, read.ETag);
        Assert.NotNull(read.State);
        Assert.Equal("", read.State!.Text);
    }

    private (string Type, string Key, string State, string Payload) SingleRow()
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_type, grain_key, state_name, payload FROM grain_state;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        var row = (reader.GetString(0), reader.GetString(1), reader.GetString(2), Encoding.UTF8.GetString(reader.GetFieldValue<byte[]>(3)));
        Assert.False(reader.Read());
        return row;
    }

    /// <summary>Replaces the single row's payload, with a matching checksum, as the previous release could have written it.</summary>
    private void ReplacePayload(string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "UPDATE grain_state SET payload = $payload, payload_crc = $crc;";
        command.Parameters.AddWithValue("$payload", bytes);
        command.Parameters.AddWithValue("$crc", (long)PayloadChecksum.Compute(bytes));
        Assert.Equal(1, command.ExecuteNonQuery());
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ConnectionString);
        connection.Open();
        return connection;
    }
}
