using HelaMem.Runtime.CodeGeneration;
using HelaMem.Runtime.Hosting;
using HelaMem.Runtime.Membership;

namespace HelaMem.Runtime.Reminders;

/// <summary>
/// Durable reminders of one silo. Rows live in the <see cref="IReminderTable"/>; the silo runs a local timer for each
/// reminder whose grain it owns by placement (re-evaluated at start, on membership changes and every refresh
/// period), and each tick is a request to the grain's <see cref="IRemindable.ReceiveReminder"/>. Ticks follow the
/// schedule StartAt + k·Period; ticks missed while no silo owned the reminder are skipped, not replayed.
/// </summary>
internal sealed class ReminderService : IAsyncDisposable
{
    private readonly Silo _silo;
    private readonly IReminderTable? _table;
    private readonly Lock _lock = new();
    private readonly Dictionary<(GrainId, string), LocalReminder> _running = [];
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private ITimer? _refreshTimer;
    private bool _stopped;

    public ReminderService(Silo silo, IReminderTable? table)
    {
        _silo = silo;
        _table = table;
    }

    /// <summary>How many reminders this silo is running timers for.</summary>
    public int LocalCount
    {
        get
        {
            lock (_lock)
            {
                return _running.Count;
            }
        }
    }

    public async Task<GrainReminder> RegisterOrUpdateAsync(GrainId grainId, string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        var table = RequireTable();
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (period < _silo.Options.MinimumReminderPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(period), period, $"A reminder period must be at least {_silo.Options.MinimumReminderPeriod} (SiloOptions.MinimumReminderPeriod).");
        }

        if (dueTime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "A reminder's due time must not be negative.");
        }

        if (!_silo.Registry.GetClass(grainId.Type).IsRemindable)
        {
            throw new InvalidOperationException($"Grain type '{grainId.Type}' does not implement IRemindable, so it cannot receive reminders.");
        }

        var entry = new ReminderEntry(grainId, reminderName, _silo.Options.TimeProvider.GetUtcNow() + dueTime, period, null);
        var eTag = await table.UpsertRowAsync(entry);
        Start(entry with { ETag = eTag });
        return new GrainReminder(grainId, reminderName, eTag);
    }

    public async Task<bool> UnregisterAsync(GrainId grainId, string reminderName)
    {
        var table = RequireTable();
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        Stop(grainId, reminderName);
        var row = await table.ReadRowAsync(grainId, reminderName);
        return row?.ETag is { } eTag && await table.RemoveRowAsync(grainId, reminderName, eTag);
    }

    public async Task<GrainReminder?> GetAsync(GrainId grainId, string reminderName)
    {
        var table = RequireTable();
        var row = await table.ReadRowAsync(grainId, reminderName);
        return row is null ? null : new GrainReminder(row.GrainId, row.ReminderName, row.ETag ?? string.Empty);
    }

    public async Task StartAsync()
    {
        if (_table is null)
        {
            return;
        }

        await RefreshAsync();
        var period = _silo.Options.ReminderRefreshPeriod;
        _refreshTimer = _silo.Options.TimeProvider.CreateTimer(static s => _ = ((ReminderService)s!).RefreshAsync(), this, period, period);
        _silo.Membership.Changed += OnMembershipChanged;
    }

    /// <summary>Re-reads the table: starts timers for reminders this silo now owns, stops the others.</summary>
    public async Task RefreshAsync()
    {
        if (_table is null || _stopped)
        {
            return;
        }

        try
        {
            await _refreshGate.WaitAsync();
        }
        catch (ObjectDisposedException)
        {
            return; // the silo stopped while this refresh was starting
        }

        try
        {
            var rows = await _table.ReadAllAsync();
            var active = _silo.Membership.Current.ActiveSilos;
            var owned = new HashSet<(GrainId, string)>();
            foreach (var row in rows)
            {
                if (IsOwned(row.GrainId, active))
                {
                    owned.Add((row.GrainId, row.ReminderName));
                    Start(row);
                }
            }

            List<LocalReminder> toStop;
            lock (_lock)
            {
                toStop = [.. _running.Where(r => !owned.Contains(r.Key)).Select(r => r.Value)];
            }

            foreach (var reminder in toStop)
            {
                Stop(reminder.Entry.GrainId, reminder.Entry.ReminderName);
            }
        }
        catch (Exception exception)
        {
            Log.ReminderRefreshFailed(_silo.Logger, exception);
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    public void StopAll()
    {
        _stopped = true;
        _silo.Membership.Changed -= OnMembershipChanged;
        _refreshTimer?.Dispose();
        List<LocalReminder> all;
        lock (_lock)
        {
            all = [.. _running.Values];
            _running.Clear();
        }

        foreach (var reminder in all)
        {
            reminder.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        StopAll();
        _refreshGate.Dispose();
        return ValueTask.CompletedTask;
    }

    private void OnMembershipChanged(object? sender, MembershipSnapshot snapshot) => _ = RefreshAsync();

    private bool IsOwned(GrainId grainId, IReadOnlyList<SiloAddress> active)
    {
        if (!_silo.Registry.TryGetClass(grainId.Type, out var info) || active.Count == 0)
        {
            return false;
        }

        return _silo.Placement.Place(grainId, info.PlacementKey(grainId.Key), active) == _silo.Address;
    }

    private IReminderTable RequireTable() =>
        _table ?? throw new InvalidOperationException("No reminder table is configured on this silo; register an IReminderTable (e.g. SiloBuilder.UseReminderTable).");

    private void Start(ReminderEntry entry)
    {
        if (_stopped)
        {
            return;
        }

        LocalReminder? replaced = null;
        LocalReminder started;
        lock (_lock)
        {
            if (_running.TryGetValue((entry.GrainId, entry.ReminderName), out var existing))
            {
                if (existing.Entry.ETag == entry.ETag && entry.ETag is not null)
                {
                    return;
                }

                replaced = existing;
            }

            started = new LocalReminder(this, entry);
            _running[(entry.GrainId, entry.ReminderName)] = started;
        }

        replaced?.Dispose();
        started.Schedule();
    }

    private void Stop(GrainId grainId, string reminderName)
    {
        LocalReminder? removed;
        lock (_lock)
        {
            _running.Remove((grainId, reminderName), out removed);
        }

        removed?.Dispose();
    }

    /// <summary>The local timer of one owned reminder.</summary>
    private sealed class LocalReminder : IDisposable
    {
        private readonly ReminderService _service;
        private readonly ITimer _timer;
        private DateTimeOffset _nextTick;
        private volatile bool _disposed;

        public LocalReminder(ReminderService service, ReminderEntry entry)
        {
            _service = service;
            Entry = entry;
            _timer = service._silo.Options.TimeProvider.CreateTimer(static s => _ = ((LocalReminder)s!).TickAsync(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }

        public ReminderEntry Entry { get; }

        /// <summary>Arms the timer for the first tick of the schedule at or after <paramref name="notBefore"/> (default: now).</summary>
        public void Schedule(DateTimeOffset? notBefore = null)
        {
            if (_disposed)
            {
                return;
            }

            var now = _service._silo.Options.TimeProvider.GetUtcNow();
            var earliest = notBefore is { } bound && bound > now ? bound : now;
            var next = Entry.StartAt;
            if (next < earliest)
            {
                var periods = (earliest - Entry.StartAt).Ticks / Entry.Period.Ticks;
                next = Entry.StartAt + TimeSpan.FromTicks(periods * Entry.Period.Ticks);
                if (next < earliest)
                {
                    next += Entry.Period;
                }
            }

            _nextTick = next;
            try
            {
                _timer.Change(next > now ? next - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            }
            catch (ObjectDisposedException)
            {
                // Stopped concurrently.
            }
        }

        public void Dispose()
        {
            _disposed = true;
            _timer.Dispose();
        }

        private async Task TickAsync()
        {
            if (_disposed)
            {
                return;
            }

            var status = new TickStatus(Entry.StartAt, Entry.Period, _nextTick);
            try
            {
                RuntimeInstrumentation.ReminderTicks.Add(1);
                await _service._silo.CallRuntime.InvokeSystemAsync(Entry.GrainId, RemindableInvoker.Instance, 0, new ReminderArguments(Entry.ReminderName, status));
            }
            catch (Exception exception)
            {
                Log.ReminderTickFailed(_service._silo.Logger, exception, Entry.GrainId, Entry.ReminderName);
            }

            // The next tick is the first one of the schedule after this one and not in the past, so a slow tick
            // never causes a burst of catch-up ticks.
            Schedule(_nextTick + TimeSpan.FromTicks(1));
        }
    }

    private sealed class ReminderArguments(string name, TickStatus status) : IGrainCallArguments
    {
        public string Name { get; } = name;

        public TickStatus Status { get; } = status;

        public int Count => 2;

        public object? GetArgument(int index) => index switch
        {
            0 => Name,
            1 => Status,
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };
    }

    /// <summary>Calls IRemindable.ReceiveReminder (the runtime's own invoker; grain interfaces need not expose it).</summary>
    private sealed class RemindableInvoker : IGrainMethodInvoker
    {
        public static readonly RemindableInvoker Instance = new();

        public GrainInterfaceDescriptor Descriptor { get; } = new(typeof(IRemindable), typeof(IRemindable).FullName!, [new GrainMethodDescriptor(nameof(IRemindable.ReceiveReminder), GrainCallBehavior.None)]);

        public Task Invoke(object grain, int methodId, IGrainCallArguments? arguments, CancellationToken cancellationToken)
        {
            var reminder = (ReminderArguments)arguments!;
            return grain is IRemindable remindable
                ? remindable.ReceiveReminder(reminder.Name, reminder.Status)
                : throw new InvalidOperationException($"{grain.GetType().Name} received a reminder but does not implement IRemindable.");
        }
    }
}
