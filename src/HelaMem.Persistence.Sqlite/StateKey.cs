using System.Text;
using Orleans.Runtime;

namespace HelaMem.Persistence.Sqlite;

/// <summary>
/// The row key of one grain state: the columns <c>grain_type</c>, <c>grain_key</c> and <c>state_name</c>. An
/// Orleans <see cref="GrainId"/> maps to it as <c>grainId.Type.ToString()</c> and <c>grainId.Key.ToString()</c>,
/// which for HelaMem's string-keyed grains are exactly the grain type and key the previous release stored.
/// </summary>
internal readonly record struct StateKey(string GrainType, string GrainKey, string StateName)
{
    /// <exception cref="ArgumentException">The grain id is empty, the state name is missing, or a part cannot be stored.</exception>
    public static StateKey From(GrainId grainId, string stateName)
    {
        if (grainId.IsDefault)
        {
            throw new ArgumentException("Grain state needs a grain id; got the default (empty) GrainId.", nameof(grainId));
        }

        if (string.IsNullOrEmpty(stateName))
        {
            throw new ArgumentException($"Grain state of {grainId} needs a state name.", nameof(stateName));
        }

        var key = new StateKey(grainId.Type.ToString()!, grainId.Key.ToString()!, stateName);
        StorableText.ThrowIfNotStorable(key.GrainType, "grain type", nameof(grainId));
        StorableText.ThrowIfNotStorable(key.GrainKey, "grain key", nameof(grainId));
        StorableText.ThrowIfNotStorable(key.StateName, "state name", nameof(stateName));
        return key;
    }

    public override string ToString() => $"'{StateName}' of grain {GrainType}/{GrainKey}";
}

/// <summary>
/// Which strings can be stored as a key part and read back unchanged: valid Unicode (an unpaired surrogate would
/// be replaced on the way to UTF-8, merging distinct keys) and no NUL character (kept out so a later PostgreSQL
/// provider can hold every key this one holds). Checked before anything is changed.
/// </summary>
internal static class StorableText
{
    public static void ThrowIfNotStorable(string value, string what, string parameterName)
    {
        if (!IsStorable(value))
        {
            throw new ArgumentException($"The {what} '{value.Replace("\0", "\\0", StringComparison.Ordinal)}' cannot be stored: key parts must be valid Unicode without NUL characters.", parameterName);
        }
    }

    private static bool IsStorable(ReadOnlySpan<char> value)
    {
        if (!value.ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            return !value.Contains('\0');
        }

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
}
