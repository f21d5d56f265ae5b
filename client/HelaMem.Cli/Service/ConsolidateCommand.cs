using System.CommandLine;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>consolidate (--user|--agent|--run) ID [--forget] [--json]</c>: distill hubs and every new turn now.</summary>
internal static class ConsolidateCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var forget = new Option<bool>("--forget") { Description = "Also run the forgetting sweep (archives old, unused, weakly connected memories)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("consolidate", "Consolidate a user's, an agent's or a run's memory now: hubs and every new turn become profile and facts (HELAMEM_API_KEY)") { forget, json, url };
        var owner = new OwnerOptions().AddTo(command);
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var result = await client.ConsolidateAsync(owner.Resolve(parse), parse.GetValue(forget), cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, result);
                return;
            }

            console.MarkupLine($"Distilled {result.TurnsDistilled} new turns and {result.HubsDistilled} of {result.HubsPending} hubs: {result.ItemsAdded} semantic items added or updated; {result.NodesArchived} memories archived.");
            if (result.Deferred)
            {
                console.MarkupLine($"[yellow]deferred:[/] the distiller could not distill now (LLM provider unavailable or its answer unusable); {result.TurnsPending} turns stay pending for the next run.");
            }
        }));
        return command;
    }
}
