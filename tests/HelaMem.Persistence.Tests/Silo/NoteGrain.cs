using HelaMem.Persistence.Tests.Conformance;
using Orleans;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Silo;

/// <summary>
/// A grain with state in the provider named <see cref="StorageName"/> and reminders in the silo's reminder table:
/// SQLite or PostgreSQL, whichever the test cluster registers. A reminder tick counts itself in the stored state.
/// </summary>
public interface INoteGrain : IGrainWithStringKey
{
    Task<string> GetText();

    Task SetText(string text);

    Task ClearText();

    Task RegisterReminder(string name);

    Task<bool> HasReminder(string name);

    Task StartTicking(string name, TimeSpan period);

    Task<int> GetTicks();
}

[GrainType(GrainTypeName)]
public sealed class NoteGrain([PersistentState(NoteGrain.StateName, NoteGrain.StorageName)] IPersistentState<Note> state) : Grain, INoteGrain, IRemindable
{
    public const string GrainTypeName = "sqlite-note";
    public const string StateName = "note";
    public const string StorageName = "notes";

    public Task<string> GetText() => Task.FromResult(state.State.Text);

    public async Task SetText(string text)
    {
        state.State.Text = text;
        await state.WriteStateAsync();
    }

    public Task ClearText() => state.ClearStateAsync();

    public Task RegisterReminder(string name) => this.RegisterOrUpdateReminder(name, TimeSpan.FromHours(1), TimeSpan.FromHours(1));

    public async Task<bool> HasReminder(string name) => await this.GetReminder(name) is not null;

    public Task StartTicking(string name, TimeSpan period) => this.RegisterOrUpdateReminder(name, period, period);

    public Task<int> GetTicks() => Task.FromResult(state.State.Count);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Count++;
        await state.WriteStateAsync();
    }
}
