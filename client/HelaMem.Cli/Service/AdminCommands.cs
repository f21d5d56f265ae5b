using System.CommandLine;
using System.Globalization;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>helamem admin ...</c>: the operators' view of the cluster (HELAMEM_OPERATOR_KEY).</summary>
public static class AdminCommands
{
    /// <summary>Builds <c>admin</c>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var admin = new Command("admin", "The cluster as operators see it (operator)");
        admin.Subcommands.Add(Stats(console));
        return admin;
    }

    private static Command Stats(IAnsiConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("stats", "The whole cluster now: silos and their health, each tenant's recent activity, storage latency (what the /dashboard page shows)") { json, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var stats = await client.GetOperatorStatsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, stats);
                return;
            }

            Write(console, stats);
        }));
        return command;
    }

    private static void Write(IAnsiConsole console, OperatorStats stats)
    {
        var silos = new Table().AddColumns("silo", "name", "host", "status", "started", "last heartbeat", "last report");
        foreach (var silo in stats.Silos)
        {
            silos.AddRow(
                Markup.Escape(silo.Address),
                Markup.Escape(silo.Name),
                Markup.Escape(silo.Host),
                silo.Status == "Active" ? "[green]Active[/]" : $"[red]{Markup.Escape(silo.Status)}[/]",
                Time(silo.StartedAt),
                silo.LastHeartbeatAt is { } heartbeat ? Time(heartbeat) : "-",
                silo.LastReportAt is { } report ? Time(report) : "-");
        }

        console.Write(silos);
        console.WriteLine($"Recent window: {Number(stats.WindowSeconds)} s");
        var tenants = new Table().AddColumns("tenant", "owners", "ingests/s", "searches/s", "search p50 ms", "search p99 ms", "429s", "tokens in/out", "consolidations", "semantic items");
        foreach (var tenant in stats.Tenants)
        {
            tenants.AddRow(
                Markup.Escape(tenant.Tenant),
                Number(tenant.Owners),
                Number(tenant.IngestsPerSecond),
                Number(tenant.SearchesPerSecond),
                tenant.SearchP50Ms is { } p50 ? Number(p50) : "-",
                tenant.SearchP99Ms is { } p99 ? Number(p99) : "-",
                Number(tenant.RateLimitRefusals),
                $"{Number(tenant.InputTokens)}/{Number(tenant.OutputTokens)}",
                Number(tenant.ConsolidationRuns),
                Number(tenant.SemanticItems));
        }

        console.Write(tenants);
        var storage = stats.Storage;
        console.WriteLine($"Storage commits: {Number(storage.CommitsPerSecond)}/s, p50 {(storage.CommitP50Ms is { } c50 ? Number(c50) + " ms" : "-")}, p99 {(storage.CommitP99Ms is { } c99 ? Number(c99) + " ms" : "-")}");
        console.WriteLine($"LLM: {stats.Llm.Note}");
    }

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);
}
