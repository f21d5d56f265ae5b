using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace HelaMem.Silo.Hosting;

/// <summary>Prints where the silo listens and how to create the first tenant, once the server is listening.</summary>
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

    public static void Register(WebApplication app, OperatorKey operatorKey, SiloRuntime silo)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HelaMem.Silo");
            if (silo.Embedder is HelaMem.Embeddings.HashingEmbedder)
            {
                Diagnostics.SiloLog.HashingFallback(logger);
            }

            var embedderName = silo.Embedder.GetType().Name;
            Diagnostics.SiloLog.SiloServing(logger, silo.Address, silo.DataDirectory, embedderName);
            var addresses = app.Services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var url = addresses.FirstOrDefault() ?? "http://localhost:5080";
            var output = Console.Out;
            output.WriteLine();
            output.WriteLine($"HelaMem silo (Microsoft Orleans {OrleansVersion()}) listening on {string.Join(", ", addresses)}");
            output.WriteLine($"  orleans silo:   {silo.Address}");
            output.WriteLine($"  data directory: {silo.DataDirectory}");
            output.WriteLine($"  embedder:       {silo.Embedder.GetType().Name}{(silo.Embedder is HelaMem.Embeddings.HashingEmbedder ? " (FALLBACK: run 'helamem setup' for the GloVe vectors and restart)" : "")}");
            output.WriteLine($"  retrieval:      profile {app.Services.GetRequiredService<ServiceOptions>().Retrieval.Profile} for tenants without their own (HelaMem:Retrieval:Profile)");
            output.WriteLine($"  OpenAPI:        {url}/openapi/v1.json    health: {url}/health/ready");
            if (operatorKey.Generated)
            {
                output.WriteLine($"  operator key (generated, shown only now; kept in {operatorKey.Source}):");
                output.WriteLine($"    {operatorKey.Value}");
            }
            else
            {
                output.WriteLine($"  operator key:   from {operatorKey.Source}");
            }

            output.WriteLine("Create the first tenant and its API key:");
            output.WriteLine($"  export HELAMEM_URL={url} HELAMEM_OPERATOR_KEY=<operator key>");
            output.WriteLine("  helamem tenants create my-tenant");
            output.WriteLine($"  # or: curl -X POST {url}/v1/admin/tenants -H \"Authorization: Bearer $HELAMEM_OPERATOR_KEY\" -H 'Content-Type: application/json' -d '{{\"name\":\"my-tenant\"}}'");
            output.Flush();
        });
    }
}
