using HelaMem.Runtime.Hosting;

namespace HelaMem.Runtime.Tests.Grains;

/// <summary>A memory-node-like grain, placed by its tenant/user prefix. A plain class: no Grain base, context injected.</summary>
public interface INodeGrain : IGrainWithStringKey
{
    Task<string> Silo();

    Task<int> Contribute(int value);
}

[GrainType("node")]
[KeyPrefixPlacement(2)]
public sealed class NodeGrain(IGrainContext context) : INodeGrain
{
    public Task<string> Silo() => Task.FromResult(context.Silo.Endpoint);

    public Task<int> Contribute(int value) => Task.FromResult(value * 2);
}

/// <summary>A user-graph-like grain that fans out to its nodes and gathers their answers.</summary>
public interface IGraphGrain : IGrainWithStringKey
{
    Task<string[]> NodeSilos(int nodes);

    Task<int> FanOut(int nodes);

    Task<string> Silo();
}

[GrainType("graph")]
[KeyPrefixPlacement(2)]
public sealed class GraphGrain(Silo silo) : Grain, IGraphGrain
{
    public Task<string[]> NodeSilos(int nodes) =>
        Task.WhenAll(Enumerable.Range(0, nodes).Select(i => GrainFactory.GetGrain<INodeGrain>($"{GrainKey}/n{i}").Silo()));

    public async Task<int> FanOut(int nodes)
    {
        var results = await Task.WhenAll(Enumerable.Range(0, nodes).Select(i => GrainFactory.GetGrain<INodeGrain>($"{GrainKey}/n{i}").Contribute(i)));
        return results.Sum();
    }

    public Task<string> Silo() => Task.FromResult(silo.Address.Endpoint);
}
