namespace HelaMem.Runtime.Tests.Grains;

public sealed record ContextSnapshot(string? Tenant, string? TraceId, DateTimeOffset? Deadline, string? Custom);

public interface IContextGrain : IGrainWithStringKey
{
    Task<ContextSnapshot> Snapshot();

    Task<ContextSnapshot> RelayTo(string nextKey);

    Task<ContextSnapshot> ChangeTenantAndRelay(string tenant, string nextKey);

    /// <summary>What the grain sees of an async-local its caller set (it must see nothing).</summary>
    Task<string?> CallerAsyncLocal();
}

[GrainType("context")]
public sealed class ContextGrain : Grain, IContextGrain
{
    public Task<ContextSnapshot> Snapshot() =>
        Task.FromResult(new ContextSnapshot(RequestContext.Tenant, RequestContext.TraceId, RequestContext.Deadline, RequestContext.Get("custom")));

    public async Task<ContextSnapshot> RelayTo(string nextKey)
    {
        await Task.Yield();
        return await GrainFactory.GetGrain<IContextGrain>(nextKey).Snapshot();
    }

    public Task<string?> CallerAsyncLocal() => Task.FromResult(TestProbe.CallerLocal.Value);

    public Task<ContextSnapshot> ChangeTenantAndRelay(string tenant, string nextKey)
    {
        RequestContext.Tenant = tenant;
        return GrainFactory.GetGrain<IContextGrain>(nextKey).Snapshot();
    }
}
