using System.CommandLine;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary><c>helamem tenants ...</c> and <c>helamem keys ...</c>: operator commands (HELAMEM_OPERATOR_KEY).</summary>
public static class TenantCommands
{
    /// <summary>Builds <c>tenants</c>.</summary>
    public static Command CreateTenants(IAnsiConsole console)
    {
        var tenants = new Command("tenants", "Manage tenants (operator)");
        tenants.Subcommands.Add(Create(console));
        tenants.Subcommands.Add(List(console));
        tenants.Subcommands.Add(SetDisabled(console, "disable", disabled: true));
        tenants.Subcommands.Add(SetDisabled(console, "enable", disabled: false));
        tenants.Subcommands.Add(TenantSettingsCommand.Create(console));
        tenants.Subcommands.Add(TenantOwnerCommands.Users(console));
        tenants.Subcommands.Add(TenantOwnerCommands.Delete(console));
        return tenants;
    }

    /// <summary>Builds <c>keys</c>.</summary>
    public static Command CreateKeys(IAnsiConsole console)
    {
        var keys = new Command("keys", "Issue and revoke tenant API keys (operator)");
        var tenant = new Argument<string>("TENANT") { Description = "The tenant" };
        var url = ServiceRunner.UrlOption();
        var issue = new Command("issue", "Issue another API key (printed on the last line)") { tenant, url };
        issue.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var issued = await client.IssueKeyAsync(parse.GetValue(tenant)!, cancellationToken);
            console.MarkupLine($"Key [bold]{Markup.Escape(issued.KeyId)}[/] issued for tenant [bold]{Markup.Escape(issued.Tenant)}[/] (shown only once):");
            ServiceRunner.WriteLine(console, issued.ApiKey);
        }));

        var revokeTenant = new Argument<string>("TENANT") { Description = "The tenant" };
        var keyId = new Argument<string>("KEY_ID") { Description = "The key id (the third dot-separated part of the key)" };
        var revokeUrl = ServiceRunner.UrlOption();
        var revoke = new Command("revoke", "Revoke an API key") { revokeTenant, keyId, revokeUrl };
        revoke.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(revokeUrl), async client =>
        {
            await client.RevokeKeyAsync(parse.GetValue(revokeTenant)!, parse.GetValue(keyId)!, cancellationToken);
            console.MarkupLine($"Key [bold]{Markup.Escape(parse.GetValue(keyId)!)}[/] revoked.");
        }));

        keys.Subcommands.Add(issue);
        keys.Subcommands.Add(revoke);
        return keys;
    }

    private static Command Create(IAnsiConsole console)
    {
        var name = new Argument<string>("NAME") { Description = "The tenant id (letters, digits, '-', '_', '.', '@')" };
        var maxUsers = new Option<int?>("--max-users") { Description = "Quota: most users with memories" };
        var maxBatch = new Option<int?>("--max-messages-per-ingest") { Description = "Quota: most messages per ingest (default 1000)" };
        var profile = TenantSettingsCommand.ProfileOption();
        var url = ServiceRunner.UrlOption();
        var command = new Command("create", "Create a tenant; its API key is printed on the last line") { name, maxUsers, maxBatch, profile, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var quotas = new TenantQuotas(parse.GetValue(maxUsers), parse.GetValue(maxBatch) ?? 1000);
            var retrieval = parse.GetValue(profile) is { } chosen ? new RetrievalSettings(Profile: chosen) : null;
            var issued = await client.CreateTenantAsync(new CreateTenantRequest(parse.GetValue(name), quotas, retrieval), cancellationToken);
            console.MarkupLine($"Tenant [bold]{Markup.Escape(issued.Tenant)}[/] created. Its API key (shown only once; export it as HELAMEM_API_KEY):");
            ServiceRunner.WriteLine(console, issued.ApiKey);
        }));
        return command;
    }

    private static Command List(IAnsiConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("list", "List the tenants") { json, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var list = await client.ListTenantsAsync(cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, list);
                return;
            }

            var table = new Table().AddColumns("tenant", "state", "created", "active keys", "max users", "profile");
            foreach (var tenant in list.Tenants)
            {
                table.AddRow(
                    Markup.Escape(tenant.Name),
                    tenant.Disabled ? "[red]disabled[/]" : "enabled",
                    tenant.CreatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture),
                    tenant.Keys.Count(k => k.RevokedAt is null).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    tenant.Quotas.MaxUsers?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    TenantSettingsCommand.DescribeProfile(tenant));
            }

            console.Write(table);
        }));
        return command;
    }

    private static Command SetDisabled(IAnsiConsole console, string verb, bool disabled)
    {
        var name = new Argument<string>("NAME") { Description = "The tenant" };
        var url = ServiceRunner.UrlOption();
        var command = new Command(verb, disabled ? "Refuse a tenant's keys" : "Accept a disabled tenant's keys again") { name, url };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var tenant = disabled
                ? await client.DisableTenantAsync(parse.GetValue(name)!, cancellationToken)
                : await client.EnableTenantAsync(parse.GetValue(name)!, cancellationToken);
            console.MarkupLine($"Tenant [bold]{Markup.Escape(tenant.Name)}[/] is {(tenant.Disabled ? "disabled" : "enabled")}.");
        }));
        return command;
    }
}
