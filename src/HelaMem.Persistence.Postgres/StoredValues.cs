using System.Globalization;
using System.Text;
using Orleans.Runtime;

namespace HelaMem.Persistence.Postgres;

/// <summary>ETags are the decimal form of a value drawn from <c>helamem.etag_sequence</c>.</summary>
internal static class ETags
{
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses an ETag these providers issued. Anything else (foreign, forged, or a non-canonical spelling such as
    /// "007") cannot match a stored value, so the caller treats it as a conflict without asking the database.
    /// </summary>
    public static bool TryParse(string? eTag, out long value) =>
        long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out value)
        && value > 0
        && string.Equals(Format(value), eTag, StringComparison.Ordinal);
}

/// <summary>Which strings a <c>text</c> column holds unchanged: valid Unicode without NUL (PostgreSQL refuses NUL in text).</summary>
internal static class StoredText
{
    public static void ThrowIfNotStorable(string value, string what, string parameterName)
    {
        if (!IsStorable(value))
        {
            throw new ArgumentException($"The {what} '{value.Replace("\0", "\\0", StringComparison.Ordinal)}' cannot be stored: it must be valid Unicode without NUL characters.", parameterName);
        }
    }

    private static bool IsStorable(ReadOnlySpan<char> value)
    {
        while (!value.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(value, out var rune, out var consumed) != System.Buffers.OperationStatus.Done || rune.Value == 0)
            {
                return false;
            }

            value = value[consumed..];
        }

        return true;
    }

    /// <summary>The grain columns of <paramref name="grainId"/>: <c>grainId.Type.ToString()</c> and <c>grainId.Key.ToString()</c>.</summary>
    public static (string Type, string Key) GrainColumns(GrainId grainId, string parameterName)
    {
        if (grainId.IsDefault)
        {
            throw new ArgumentException("A grain id is required; got the default (empty) GrainId.", parameterName);
        }

        var type = grainId.Type.ToString()!;
        var key = grainId.Key.ToString()!;
        ThrowIfNotStorable(type, "grain type", parameterName);
        ThrowIfNotStorable(key, "grain key", parameterName);
        return (type, key);
    }
}

/// <summary>Times as <c>timestamptz</c> wants them: UTC. Unspecified is taken as UTC (as Orleans' own tables do); local is converted.</summary>
internal static class UtcTimes
{
    public static DateTime ToUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Local => value.ToUniversalTime(),
        _ => DateTime.SpecifyKind(value, DateTimeKind.Utc),
    };
}
