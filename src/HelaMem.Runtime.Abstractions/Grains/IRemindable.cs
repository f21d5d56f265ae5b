namespace HelaMem.Runtime;

/// <summary>A grain that receives durable reminders implements this interface.</summary>
public interface IRemindable : IGrain
{
    /// <summary>Called on the owning silo when reminder <paramref name="reminderName"/> is due.</summary>
    Task ReceiveReminder(string reminderName, TickStatus status);
}

/// <summary>Facts about one reminder tick.</summary>
/// <param name="FirstTickTime">When the reminder's first tick was due.</param>
/// <param name="Period">The reminder's period.</param>
/// <param name="CurrentTickTime">When this tick was due.</param>
public readonly record struct TickStatus(DateTimeOffset FirstTickTime, TimeSpan Period, DateTimeOffset CurrentTickTime);

/// <summary>A handle on a registered reminder.</summary>
/// <param name="GrainId">The grain the reminder wakes.</param>
/// <param name="ReminderName">The reminder's name.</param>
/// <param name="ETag">The stored row's ETag.</param>
public sealed record GrainReminder(GrainId GrainId, string ReminderName, string ETag);
