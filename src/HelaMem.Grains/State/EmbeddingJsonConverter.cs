using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HelaMem.Grains.State;

/// <summary>
/// Writes an embedding as one base64 string of its little-endian float bits instead of a JSON array of numbers:
/// exact, about half the bytes, and far cheaper to write and read than formatting and parsing every float (the node
/// state is serialized once per ingested message). Reads both forms, so states written as arrays still load.
/// </summary>
internal sealed class EmbeddingJsonConverter : JsonConverter<float[]>
{
    public override float[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var bytes = reader.GetBytesFromBase64();
            if (bytes.Length % sizeof(float) != 0)
            {
                throw new JsonException($"An embedding holds whole floats; {bytes.Length} bytes is not a multiple of {sizeof(float)}.");
            }

            var values = new float[bytes.Length / sizeof(float)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * sizeof(float)));
            }

            return values;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"An embedding is a base64 string or an array of numbers, not {reader.TokenType}.");
        }

        // The earlier form: an array of numbers.
        var list = new List<float>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.GetSingle());
        }

        return [.. list];
    }

    public override void Write(Utf8JsonWriter writer, float[] value, JsonSerializerOptions options)
    {
        var bytes = value.Length * sizeof(float) <= 4096 ? stackalloc byte[value.Length * sizeof(float)] : new byte[value.Length * sizeof(float)];
        for (var i = 0; i < value.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes[(i * sizeof(float))..], value[i]);
        }

        writer.WriteBase64StringValue(bytes);
    }
}
