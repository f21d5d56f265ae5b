using System.CommandLine;
using System.Globalization;
using HelaMem.Client.Contracts;
using Spectre.Console;

namespace HelaMem.Cli.Service;

/// <summary>
/// <c>helamem tenants quotas NAME ...</c>: changes a tenant's quotas, retrieval overrides and LLM provider override
/// (operator). Only the options given change; the others keep the tenant's current values (read first), so one quota
/// or one model name can be changed alone.
/// </summary>
public static class TenantSettingsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var name = new Argument<string>("NAME") { Description = "The tenant" };
        var maxUsers = new Option<int?>("--max-users") { Description = "Quota: most users with memories" };
        var unlimitedUsers = new Option<bool>("--unlimited-users") { Description = "Quota: no limit on users" };
        var maxBatch = new Option<int?>("--max-messages-per-ingest") { Description = "Quota: most messages per ingest (1 … 1000)" };
        var maxLength = new Option<int?>("--max-message-length") { Description = "Quota: longest message in characters (1 … 16384)" };
        var topK = new Option<int?>("--top-k") { Description = "Retrieval: k, items of the base pathway (1 … 100)" };
        var maxFlipped = new Option<int?>("--max-flipped") { Description = "Retrieval: m, at most this many flipped items (0 … 100)" };
        var defaultRetrieval = new Option<bool>("--default-retrieval") { Description = "Retrieval: drop the overrides (the silo's k, m and profile)" };
        var profile = ProfileOption();
        var llm = new LlmOptionSet();
        var json = new Option<bool>("--json") { Description = "Print the tenant as JSON" };
        var url = ServiceRunner.UrlOption();
        var command = new Command("quotas", "Change a tenant's quotas, retrieval overrides and LLM provider override (options not given keep their values)")
        {
            name, maxUsers, unlimitedUsers, maxBatch, maxLength, topK, maxFlipped, profile, defaultRetrieval,
            llm.Endpoint, llm.ChatModel, llm.EmbeddingModel, llm.ApiVersion, llm.Default, json, url,
        };
        command.SetAction((parse, cancellationToken) => ServiceRunner.RunAsync(console, parse.GetValue(url), async client =>
        {
            var change = new Change(
                parse.GetValue(maxUsers), parse.GetValue(unlimitedUsers), parse.GetValue(maxBatch), parse.GetValue(maxLength),
                parse.GetValue(topK), parse.GetValue(maxFlipped), parse.GetValue(profile), parse.GetValue(defaultRetrieval), llm.Read(parse));
            change.Validate();
            var tenant = parse.GetValue(name)!;
            var current = await client.GetTenantAsync(tenant, cancellationToken);
            var updated = await client.UpdateTenantSettingsAsync(tenant, change.Apply(current), cancellationToken);
            if (parse.GetValue(json))
            {
                ServiceRunner.WriteJson(console, updated);
                return;
            }

            var quotas = updated.Quotas;
            var retrieval = updated.Retrieval ?? new RetrievalSettings();
            console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"Tenant [bold]{Markup.Escape(updated.Name)}[/]: max users {quotas.MaxUsers?.ToString(CultureInfo.InvariantCulture) ?? "unlimited"}, "
                + $"max messages per ingest {quotas.MaxMessagesPerIngest}, max message length {quotas.MaxMessageLength}, "
                + $"k {retrieval.TopK?.ToString(CultureInfo.InvariantCulture) ?? "default"}, m {retrieval.MaxFlipped?.ToString(CultureInfo.InvariantCulture) ?? "default"}, "
                + $"profile {Markup.Escape(DescribeProfile(updated))}, LLM {Markup.Escape(LlmOptionSet.Describe(updated.Llm))}."));
        }));
        return command;
    }

    /// <summary><c>--profile</c>: the retrieval profile of users created from now on (the server validates it).</summary>
    public static Option<string?> ProfileOption()
    {
        var option = new Option<string?>("--profile")
        {
            Description = "Retrieval: the profile of users created from now on, paper (the published algorithm) or helamem (HelaMem's recommended configuration); existing users keep theirs",
        };
        option.AcceptOnlyFromAmong([.. HelaMem.Core.RetrievalProfiles.Names]);
        return option;
    }

    /// <summary>A tenant's profile as listed: its own, or the silo's default it falls back to.</summary>
    public static string DescribeProfile(TenantInfo tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.Retrieval?.Profile ?? (tenant.NewUserProfile is { } fallback ? $"default ({fallback})" : "default");
    }

    /// <summary>The options given on the command line.</summary>
    private sealed record Change(int? MaxUsers, bool UnlimitedUsers, int? MaxBatch, int? MaxLength, int? TopK, int? MaxFlipped, string? Profile, bool DefaultRetrieval, LlmChange Llm)
    {
        private bool ChangesQuotas => MaxUsers is not null || UnlimitedUsers || MaxBatch is not null || MaxLength is not null;

        private bool ChangesRetrieval => TopK is not null || MaxFlipped is not null || Profile is not null || DefaultRetrieval;

        /// <summary>Refuses contradictory or empty changes before anything is sent (the server checks the ranges).</summary>
        public void Validate()
        {
            if (!ChangesQuotas && !ChangesRetrieval && !Llm.Changes)
            {
                throw new CliUsageException("nothing to change: give --max-users, --unlimited-users, --max-messages-per-ingest, --max-message-length, --top-k, --max-flipped, --profile, --default-retrieval, an --llm-... option or --default-llm");
            }

            Llm.Validate();

            if (UnlimitedUsers && MaxUsers is not null)
            {
                throw new CliUsageException("--max-users and --unlimited-users contradict each other");
            }

            if (DefaultRetrieval && (TopK is not null || MaxFlipped is not null || Profile is not null))
            {
                throw new CliUsageException("--default-retrieval drops the overrides; do not combine it with --top-k, --max-flipped or --profile");
            }
        }

        /// <summary>The update: only the sections that change, each completed from the tenant's current values.</summary>
        public TenantSettingsUpdate Apply(TenantInfo current)
        {
            var quotas = current.Quotas;
            TenantQuotas? newQuotas = ChangesQuotas
                ? new TenantQuotas(
                    UnlimitedUsers ? null : MaxUsers ?? quotas.MaxUsers,
                    MaxBatch ?? quotas.MaxMessagesPerIngest,
                    MaxLength ?? quotas.MaxMessageLength)
                : null;
            var retrieval = current.Retrieval ?? new RetrievalSettings();
            RetrievalSettings? newRetrieval = ChangesRetrieval
                ? DefaultRetrieval ? new RetrievalSettings() : new RetrievalSettings(TopK ?? retrieval.TopK, MaxFlipped ?? retrieval.MaxFlipped, Profile ?? retrieval.Profile)
                : null;
            return new TenantSettingsUpdate(newQuotas, newRetrieval, Llm.Apply(current.Llm));
        }
    }
}
