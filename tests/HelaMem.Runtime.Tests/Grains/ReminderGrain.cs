using HelaMem.Runtime.Hosting;

namespace HelaMem.Runtime.Tests.Grains;

public interface IReminderGrain : IGrainWithStringKey
{
    Task Start(int periodMs);

    Task<bool> Cancel();

    Task<bool> Exists();
}

[GrainType("reminder")]
public sealed class ReminderGrain(TestProbe probe, Silo silo) : Grain, IReminderGrain, IRemindable
{
    public Task Start(int periodMs) => RegisterOrUpdateReminder("tick", TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));

    public Task<bool> Cancel() => UnregisterReminder("tick");

    public async Task<bool> Exists() => await GetReminder("tick") is not null;

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        probe.Record($"tick {GrainKey} {reminderName} on {silo.Address}");
        probe.Increment($"ticks:{GrainKey}");
        probe.Increment($"ticks:{GrainKey}:{silo.Address}");
        return Task.CompletedTask;
    }
}

/// <summary>Not remindable: registering a reminder must fail clearly.</summary>
public interface INotRemindableGrain : IGrainWithStringKey
{
    Task TryRegister();
}

[GrainType("not-remindable")]
public sealed class NotRemindableGrain : Grain, INotRemindableGrain
{
    public Task TryRegister() => RegisterOrUpdateReminder("tick", TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
}
