using System.Reflection;
using HelaMem.Grains.Graph;

namespace HelaMem.Grains.Hosting;

/// <summary>Facts about the memory grains a host needs.</summary>
public static class HelaMemGrains
{
    /// <summary>
    /// The assembly with the memory grains and their generated proxies. A test cluster's client grain factory only
    /// knows the grain interfaces of the assemblies it was given (or that were loaded when it was built), so give it
    /// this one: <c>new TestClusterBuilder().AddGrainAssembly(HelaMemGrains.Assembly)</c>.
    /// </summary>
    public static Assembly Assembly { get; } = typeof(UserGraphGrain).Assembly;
}
