using HelaMem.Runtime;
using HelaMem.Runtime.Reminders;

namespace HelaMem.Persistence.Memory;

/// <summary>
/// A thread-safe, process-local <see cref="IReminderTable"/> with the same contract as the durable tables
/// (the conformance suite runs on both). Rows live as long as the instance, so a test can share one instance
/// across silo restarts to simulate a durable table.
/// </summary>
public sealed class InMemoryReminderTable : IReminderTable
{
    private readonly Dictionary<(GrainId GrainId, string Name), ReminderEntry> _rows = [];
    private readonly Lock _gate = new();
    private readonly ETagSequence _eTags = new();

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values]);
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ReminderEntry>> ReadRowsAsync(GrainId grainId, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, nameof(grainId));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<ReminderEntry>>([.. _rows.Values.Where(row => row.GrainId == grainId)]);
        }
    }

    /// <inheritdoc />
    public Task<ReminderEntry?> ReadRowAsync(GrainId grainId, string reminderName, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, reminderName, nameof(reminderName));
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_rows.GetValueOrDefault((grainId, reminderName)));
        }
    }

    /// <inheritdoc />
    public Task<string> UpsertRowAsync(ReminderEntry entry, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(entry);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var eTag = _eTags.Next();
            _rows[(entry.GrainId, entry.ReminderName)] = entry with { ETag = eTag };
            return Task.FromResult(eTag);
        }
    }

    /// <inheritdoc />
    public Task<bool> RemoveRowAsync(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken = default)
    {
        ReminderEntryValidation.ThrowIfInvalid(grainId, reminderName, nameof(reminderName));
        ArgumentNullException.ThrowIfNull(eTag);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var key = (grainId, reminderName);
            if (!_rows.TryGetValue(key, out var row) || !string.Equals(row.ETag, eTag, StringComparison.Ordinal))
            {
                return Task.FromResult(false);
            }

            _rows.Remove(key);
            return Task.FromResult(true);
        }
    }
}
