using HelaMem.Abstractions.Grains;
using HelaMem.TestingHost;

namespace HelaMem.Runtime.Tests;

/// <summary>
/// What a user's first test does in a fresh process: deploy a test cluster without naming any grain assembly and call
/// a grain through its interface only. The interface lives in HelaMem.Abstractions; its proxy and its grain class live
/// in HelaMem.Grains, which no code here references, so .NET has not loaded it when the cluster deploys.
/// </summary>
internal static class FreshProcessScenario
{
    public const string Name = "fresh-process-grain-discovery";

    private const string GrainsAssemblyName = "HelaMem.Grains";

    public static async Task<int> RunAsync(TextWriter output)
    {
        // Without this precondition the scenario could pass for the wrong reason (the assembly already loaded).
        if (IsLoaded())
        {
            await output.WriteLineAsync($"precondition failed: {GrainsAssemblyName} was loaded before the cluster was deployed");
            return 2;
        }

        await using var cluster = await new TestClusterBuilder().DeployAsync();
        var tenant = cluster.GrainFactory.GetGrain<ITenantGrain>("acme");
        var settings = await tenant.Settings();
        // The call reaching the grain shows both halves: the client found the proxy and the silo hosts the class.
        await output.WriteLineAsync($"called {nameof(ITenantGrain)}.{nameof(ITenantGrain.Settings)}: {settings is not null}; {GrainsAssemblyName} loaded: {IsLoaded()}");
        return settings is not null && IsLoaded() ? 0 : 1;
    }

    private static bool IsLoaded() => AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == GrainsAssemblyName);
}
