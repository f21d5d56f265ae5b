namespace HelaMem.Runtime.Reminders;

/// <summary>A durable reminder as stored in the reminder table.</summary>
/// <param name="GrainId">The grain the reminder wakes.</param>
/// <param name="ReminderName">The reminder's name, unique per grain.</param>
/// <param name="StartAt">When the first tick is due.</param>
/// <param name="Period">The interval between ticks.</param>
/// <param name="ETag">Version tag of the row; null for a row not yet stored.</param>
public sealed record ReminderEntry(GrainId GrainId, string ReminderName, DateTimeOffset StartAt, TimeSpan Period, string? ETag);
