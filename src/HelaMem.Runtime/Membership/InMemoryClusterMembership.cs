using HelaMem.Runtime.Membership;

namespace HelaMem.Runtime.Membership;

/// <summary>
/// The membership view of silos in one process: a shared, lock-protected table of statuses. Status changes are
/// immediate and seen by every silo at once (no failure detection is needed: a killed silo is marked dead by
/// whoever killed it).
/// </summary>
public sealed class InMemoryClusterMembership : IClusterMembership
{
    private readonly Lock _lock = new();
    private MembershipSnapshot _current = new(0, new Dictionary<SiloAddress, SiloStatus>());

    /// <inheritdoc />
    public MembershipSnapshot Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public event EventHandler<MembershipSnapshot>? Changed;

    /// <inheritdoc />
    public ValueTask UpdateStatusAsync(SiloAddress silo, SiloStatus status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(silo);
        MembershipSnapshot next;
        lock (_lock)
        {
            var members = new Dictionary<SiloAddress, SiloStatus>(_current.Members);
            if (members.TryGetValue(silo, out var existing) && existing == status)
            {
                return ValueTask.CompletedTask;
            }

            if (existing == SiloStatus.Dead && members.ContainsKey(silo))
            {
                throw new InvalidOperationException($"Silo {silo} is dead; a dead silo never comes back (restart it with a new generation).");
            }

            members[silo] = status;
            next = new MembershipSnapshot(_current.Version + 1, members);
            Volatile.Write(ref _current, next);
        }

        Changed?.Invoke(this, next);
        return ValueTask.CompletedTask;
    }
}
