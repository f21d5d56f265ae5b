using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Prints where the silo listens, its environment and limits, and how to create the first tenant (or, when there are
/// tenants, how many), once the server is listening.
/// </summary>
internal static class StartupBanner
{
    // The package version (10.4.2): the assembly version of Orleans' libraries stays at the major version (10.0.0.0).
    private static string OrleansVersion()
    {
        // Orleans writes "10.4.2. Commit Hash: ..." (or "10.4.2+sha" in local builds): keep the leading version.
        var informational = typeof(Orleans.Grain).Assembly.GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "";
        var version = System.Text.RegularExpressions.Regex.Match(informational, @"^\d+(\.\d+)*").Value;
        return version.Length > 0 ? version : "10";
    }

    // How long the banner waits for the tenant directory before it falls back to the first-tenant hint.
    private static readonly TimeSpan TenantCountTimeout = TimeSpan.FromSeconds(10);

    public static void Register(WebApplication app, OperatorKey operatorKey, SiloRuntime silo)
    {
        // Counting the tenants is a grain call: print from a task so that the host's start never waits on it.
        app.Lifetime.ApplicationStarted.Register(() => _ = PrintAsync(app, operatorKey, silo));
    }

    private static async Task PrintAsync(WebApplication app, OperatorKey operatorKey, SiloRuntime silo)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Silo");
        var tenants = await CountTenantsAsync(app, logger);
        if (silo.EmbedsWithHashingFallback)
        {
            Diagnostics.SiloLog.HashingFallback(logger);
        }

        var options = app.Services.GetRequiredService<ServiceOptions>();
        var embedderName = $"{silo.Embedder.Name} (HelaMem:Embedder {options.Embedder})";
        Diagnostics.SiloLog.SiloServing(logger, silo.Address, silo.DataDirectory, embedderName);
        var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
        var output = Console.Out;
        output.WriteLine();
        output.WriteLine($"HelaMem silo (Microsoft Orleans {OrleansVersion()}) listening on {string.Join(", ", addresses)}");
        output.WriteLine($"  environment:    {app.Environment.EnvironmentName} (ASPNETCORE_ENVIRONMENT; Production unless set)");
        output.WriteLine($"  orleans silo:   {silo.Address}");
        output.WriteLine($"  data directory: {silo.DataDirectory}");
        output.WriteLine($"  storage:        {StorageLine(options.Cluster)} (HelaMem:Cluster:Profile)");
        output.WriteLine($"  embedder:       {embedderName}{(silo.EmbedsWithHashingFallback ? " (FALLBACK: run 'helamem setup' for the GloVe vectors and restart)" : "")}");
        output.WriteLine($"  retrieval:      profile {options.Retrieval.Profile} for tenants without their own (HelaMem:Retrieval:Profile)");
        output.WriteLine($"  rate limit:     {RateLimitLine(options.RateLimit)} (HelaMem:RateLimit)");
        output.WriteLine($"  OpenAPI:        {url}/openapi/v1.json    health: {url}/health/ready");
        output.WriteLine(options.Dashboard.Enabled
            ? $"  dashboard:      {url}/dashboard/ (sign in with the operator key; Orleans': {url}/dashboard/orleans/)"
            : "  dashboard:      off (HelaMem:Dashboard:Enabled)");
        if (operatorKey.Generated)
        {
            output.WriteLine($"  operator key (generated, shown only now; kept in {operatorKey.Source}):");
            output.WriteLine($"    {operatorKey.Value}");
        }
        else
        {
            output.WriteLine($"  operator key:   from {operatorKey.Source}");
        }

        if (tenants is > 0)
        {
            output.WriteLine($"  tenants:        {tenants} (helamem tenants list)");
        }
        else
        {
            output.WriteLine("Create the first tenant and its API key:");
            output.WriteLine($"  export HELAMEM_URL={url} HELAMEM_OPERATOR_KEY=<operator key>");
            output.WriteLine("  helamem tenants create my-tenant");
            output.WriteLine($"  # or: curl -X POST {url}/v1/admin/tenants -H \"Authorization: Bearer $HELAMEM_OPERATOR_KEY\" -H 'Content-Type: application/json' -d '{{\"name\":\"my-tenant\"}}'");
        }

        output.Flush();
    }

    /// <summary>The deployment profile and where it keeps membership, grain state and reminders.</summary>
    public static string StorageLine(SiloClusterOptions cluster)
    {
        if (cluster.Profile == DeploymentProfiles.Postgres)
        {
            return $"postgres (membership, grain state and reminders in schema helamem; silo {cluster.EffectiveSiloName} at {cluster.AdvertisedAddress})";
        }

        if (cluster.Profile != DeploymentProfiles.Azure)
        {
            return $"{cluster.Profile} (SQLite in the data directory, one silo on loopback)";
        }

        var names = AzureStorageNames.For(cluster.ServiceId);
        return $"azure (tables {names.MembershipTable}, {names.RemindersTable}; blob container {names.GrainContainer}; silo {cluster.EffectiveSiloName} at {cluster.AdvertisedAddress})";
    }

    /// <summary>"200 requests burst, 100 per 1 s per tenant": the token bucket in the words of the docs.</summary>
    public static string RateLimitLine(RateLimitOptions rateLimit) => string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"{rateLimit.TokenLimit} requests burst, {rateLimit.TokensPerPeriod} per {rateLimit.PeriodSeconds} s per tenant");

    // The number of tenants in the directory; null when the directory does not answer (the banner then shows the
    // first-tenant hint, which is right for a new silo and harmless otherwise).
    private static async Task<int?> CountTenantsAsync(WebApplication app, ILogger logger)
    {
        try
        {
            var directory = app.Services.GetRequiredService<IGrainFactory>().GetGrain<Grains.ITenantDirectoryGrain>(Grains.ITenantDirectoryGrain.Key);
            var tenants = await directory.List().WaitAsync(TenantCountTimeout, app.Lifetime.ApplicationStopping);
            return tenants.Count;
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            Diagnostics.SiloLog.TenantCountUnavailable(logger, e);
            return null;
        }
    }
}
