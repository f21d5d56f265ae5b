using HelaMem.Runtime.Storage;

namespace HelaMem.Runtime.Reminders;

/// <summary>Rejects reminder rows no durable provider would accept, before anything is changed.</summary>
public static class ReminderEntryValidation
{
    public static void ThrowIfInvalid(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ThrowIfInvalid(entry.GrainId, entry.ReminderName, nameof(entry));
        if (entry.Period < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(entry), entry.Period, $"Reminder '{entry.ReminderName}' of {entry.GrainId} has a negative period.");
        }
    }

    public static void ThrowIfInvalid(GrainId grainId, string reminderName, string parameterName)
    {
        ThrowIfInvalid(grainId, parameterName);

        if (string.IsNullOrEmpty(reminderName))
        {
            throw new ArgumentException($"A reminder of {grainId} needs a non-empty name.", parameterName);
        }

        StorableText.ThrowIfNotStorable(reminderName, "reminder name", parameterName);
    }

    public static void ThrowIfInvalid(GrainId grainId, string parameterName)
    {
        if (string.IsNullOrEmpty(grainId.Type) || grainId.Key is null)
        {
            throw new ArgumentException($"A reminder needs a grain with a type and a key; got '{grainId}'.", parameterName);
        }

        StorableText.ThrowIfNotStorable(grainId.Type, "grain type", parameterName);
        StorableText.ThrowIfNotStorable(grainId.Key, "grain key", parameterName);
    }
}
