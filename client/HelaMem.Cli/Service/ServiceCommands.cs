using System.CommandLine;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary>The commands that talk to a HelaMem server through <see cref="HelaMem.Client.HelaMemClient"/>.</summary>
public static class ServiceCommands
{
    /// <summary>Every service command, for the root command.</summary>
    public static IEnumerable<Command> Create(IAnsiConsole console) =>
    [
        TenantCommands.CreateTenants(console),
        TenantCommands.CreateKeys(console),
        IngestCommands.Create(console),
        MemoryCommands.Search(console),
        MemoriesCommands.Create(console),
        MemoryCommands.Profile(console),
        ConsolidateCommand.Create(console),
        MemoryCommands.Delete(console),
        MemoryCommands.Stats(console),
        ReembedCommand.Create(console),
        AdminCommands.Create(console),
    ];
}
