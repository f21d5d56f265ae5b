namespace HelaMem.Runtime.Tests.Grains;

/// <summary>Two non-reentrant grains calling each other back: A→B→A→B… must finish through call-chain reentrancy.</summary>
public interface ICycleGrain : IGrainWithStringKey
{
    Task<string> Ping(string otherKey, int depth);
}

[GrainType("cycle")]
public sealed class CycleGrain : Grain, ICycleGrain
{
    public async Task<string> Ping(string otherKey, int depth)
    {
        if (depth == 0)
        {
            return GrainKey;
        }

        var other = GrainFactory.GetGrain<ICycleGrain>(otherKey);
        var answer = await other.Ping(GrainKey, depth - 1);
        return $"{GrainKey}>{answer}";
    }
}
