using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Orleans.Storage;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// Grain state as System.Text.Json, in the format HelaMem has always stored: the declared type <c>T</c> (not the
/// runtime type), PascalCase member names, unknown members skipped and missing ones left at their defaults, so
/// state written by an older or newer version of a type still loads. The default serializer of
/// <see cref="SqliteStorageOptions.GrainStorageSerializer"/>. Orleans' own default (Newtonsoft.Json) would not read
/// the existing data, and Orleans' <c>Orleans.Storage.SystemTextJsonGrainStorageSerializer</c> writes another
/// format (it omits null members and includes fields).
/// </summary>
public sealed class HelaMemJsonGrainStorageSerializer : IGrainStorageSerializer
{
    /// <summary>Uses <see cref="CreateDefaultOptions"/>.</summary>
    public HelaMemJsonGrainStorageSerializer()
        : this(CreateDefaultOptions())
    {
    }

    /// <summary>Uses the given options (e.g. with source-generated contexts added for speed).</summary>
    public HelaMemJsonGrainStorageSerializer(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
    }

    /// <summary>The options state is written and read with.</summary>
    public JsonSerializerOptions Options { get; }

    /// <summary>
    /// The options of the stored format: <see cref="JsonSerializerDefaults.General"/> with the reflection-based
    /// <see cref="DefaultJsonTypeInfoResolver"/>. Add source-generated contexts to its
    /// <see cref="JsonSerializerOptions.TypeInfoResolverChain"/> without changing the format.
    /// </summary>
    public static JsonSerializerOptions CreateDefaultOptions() => new(JsonSerializerDefaults.General)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    /// <inheritdoc />
    public BinaryData Serialize<T>(T? input) => new(JsonSerializer.SerializeToUtf8Bytes(input, Options));

    /// <inheritdoc />
    public T? Deserialize<T>(BinaryData input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return JsonSerializer.Deserialize<T>(input.ToMemory().Span, Options);
    }
}
