using HelaMem.Runtime.Membership;
using Microsoft.Extensions.Logging;

namespace HelaMem.Runtime;

/// <summary>The runtime's log messages (source-generated, no allocation when the level is off).</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Debug, "Activated {GrainId} on {Silo}")]
    public static partial void Activated(ILogger logger, GrainId grainId, SiloAddress silo);

    [LoggerMessage(2, LogLevel.Warning, "Activation of {GrainId} failed; its {Pending} queued requests fail with the same error")]
    public static partial void ActivationFailed(ILogger logger, Exception exception, GrainId grainId, int pending);

    [LoggerMessage(3, LogLevel.Debug, "Deactivated {GrainId} ({Reason})")]
    public static partial void Deactivated(ILogger logger, GrainId grainId, DeactivationReason reason);

    [LoggerMessage(4, LogLevel.Warning, "OnDeactivateAsync of {GrainId} failed; deactivation continues")]
    public static partial void DeactivationHookFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(5, LogLevel.Warning, "One-way call {Call} failed")]
    public static partial void OneWayCallFailed(ILogger logger, Exception exception, string call);

    [LoggerMessage(6, LogLevel.Error, "Unhandled exception in a work item of {GrainId}")]
    public static partial void UnhandledWorkItemException(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(7, LogLevel.Warning, "Timer callback of {GrainId} failed")]
    public static partial void TimerCallbackFailed(ILogger logger, Exception exception, GrainId grainId);

    [LoggerMessage(8, LogLevel.Warning, "Reminder {ReminderName} of {GrainId} failed to deliver")]
    public static partial void ReminderTickFailed(ILogger logger, Exception exception, GrainId grainId, string reminderName);

    [LoggerMessage(9, LogLevel.Warning, "Reading the reminder table failed; retrying at the next refresh")]
    public static partial void ReminderRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Silo {Silo} is {Status}")]
    public static partial void SiloStatusChanged(ILogger logger, SiloAddress silo, SiloStatus status);

    [LoggerMessage(11, LogLevel.Warning, "Silo {Silo} was killed: {Activations} activations dropped without deactivation")]
    public static partial void SiloKilled(ILogger logger, SiloAddress silo, int activations);

    [LoggerMessage(12, LogLevel.Warning, "Request {Call} was rejected: the activation's queue is full ({Limit})")]
    public static partial void QueueFull(ILogger logger, string call, int limit);

    [LoggerMessage(13, LogLevel.Warning, "Unregistering {GrainId} from the grain directory failed")]
    public static partial void DirectoryUnregisterFailed(ILogger logger, Exception exception, GrainId grainId);
}
