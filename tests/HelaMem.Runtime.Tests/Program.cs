namespace HelaMem.Runtime.Tests;

/// <summary>
/// The test assembly's entry point. Under the test runner it is never called; <see cref="FreshProcessTests"/> starts
/// this assembly as its own process (<c>dotnet HelaMem.Runtime.Tests.dll &lt;scenario&gt;</c>) to observe what a user's
/// first test sees in a process where nothing has been loaded yet.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => args switch
    {
        [FreshProcessScenario.Name] => FreshProcessScenario.RunAsync(Console.Out),
        _ => Task.FromResult(64),
    };
}
