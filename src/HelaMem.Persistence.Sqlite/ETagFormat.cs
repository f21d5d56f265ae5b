using System.Globalization;

namespace HelaMem.Persistence.Sqlite;

/// <summary>ETags are the decimal form of a row's version, drawn from the database-wide <c>etag_sequence</c>.</summary>
internal static class ETagFormat
{
    public static string Format(long version) => version.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Parses an ETag this provider issued. Anything else (a foreign or forged tag, or a non-canonical spelling
    /// such as "007") cannot match a stored version, so the caller treats it as a conflict.
    /// </summary>
    public static bool TryParse(string? eTag, out long version) =>
        long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out version)
        && version > 0
        && string.Equals(Format(version), eTag, StringComparison.Ordinal);
}
