using HelaMem.Grains.Hosting;
using HelaMem.Grains.Placement;

namespace HelaMem.Silo.Grains;

/// <summary>Role, conversation id and metadata of a user's memories.</summary>
[GrainType("memory-annotations")]
[UserGraphPlacement]
public sealed class MemoryAnnotationGrain([PersistentState("annotations", HelaMemGrains.StorageName)] IPersistentState<MemoryAnnotationState> stored) : Grain, IMemoryAnnotationGrain
{
    /// <inheritdoc />
    public async Task Put(IReadOnlyList<MemoryAnnotation> annotations)
    {
        ArgumentNullException.ThrowIfNull(annotations);
        foreach (var annotation in annotations)
        {
            stored.State.Items[annotation.Id] = annotation;
        }

        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<MemoryAnnotation?>> Lookup(IReadOnlyList<long> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return Task.FromResult<IReadOnlyList<MemoryAnnotation?>>([.. ids.Select(id => stored.State.Items.GetValueOrDefault(id))]);
    }

    /// <inheritdoc />
    public async Task MarkDeleted(long id)
    {
        stored.State.Items.Remove(id);
        stored.State.Deleted.Add(id);
        await stored.WriteStateAsync();
    }

    /// <inheritdoc />
    public Task<bool> IsDeleted(long id) => Task.FromResult(stored.State.Deleted.Contains(id));

    /// <inheritdoc />
    public async Task Clear()
    {
        stored.State = new MemoryAnnotationState();
        await stored.ClearStateAsync();
    }
}

/// <summary>The persistent state of a user's annotations.</summary>
public sealed class MemoryAnnotationState
{
    /// <summary>Annotations by memory id.</summary>
    public Dictionary<long, MemoryAnnotation> Items { get; set; } = [];

    /// <summary>Memory ids deleted through the API.</summary>
    public HashSet<long> Deleted { get; set; } = [];
}
