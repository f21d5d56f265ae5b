using HelaMem.Silo.Hosting;

// The composition root of the HelaMem service (design.md §9). Settings: appsettings.json, section "HelaMem";
// the scriptable contract: --urls / ASPNETCORE_URLS, HELAMEM_DATA_DIR, HELAMEM_OPERATOR_KEY.
var builder = WebApplication.CreateBuilder(args);
if (!ServiceSetup.TryConfigure(builder, out var exitCode))
{
    return exitCode;
}

var app = builder.Build();
ServiceSetup.ConfigurePipeline(app);
await app.RunAsync();
return 0;

/// <summary>The silo's entry point (public so the API tests can host it with WebApplicationFactory).</summary>
public partial class Program;
