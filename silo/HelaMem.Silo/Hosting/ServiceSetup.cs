using HelaMem.Silo.Api;
using HelaMem.Silo.Dashboard;
using HelaMem.Silo.Diagnostics.Activity;
using HelaMem.Silo.Mcp;
using HelaMem.Llm;
using HelaMem.Silo.Security;

namespace HelaMem.Silo.Hosting;

/// <summary>Reads and validates the settings, registers the services and builds the request pipeline.</summary>
internal static class ServiceSetup
{
    /// <summary>The listen address when neither --urls, ASPNETCORE_URLS nor the port settings name one.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// Registers everything; on an invalid setting prints one "error:" line per problem to stderr and returns false
    /// with the exit code (2), so that a bad setting stops the silo before it touches any data.
    /// </summary>
    public static bool TryConfigure(WebApplicationBuilder builder, out int exitCode)
    {
        exitCode = 0;
        ServiceOptions options;
        OperatorKey operatorKey;
        try
        {
            options = ReadOptions(builder.Configuration);
            var errors = options.Validate();
            if (errors.Count == 0)
            {
                errors = [.. options.Cluster.FindPortsInUse()];
            }

            if (errors.Count == 0 && CheckStorage(options) is { } storageError)
            {
                errors = [storageError];
            }

            if (errors.Count > 0)
            {
                foreach (var error in errors)
                {
                    Console.Error.WriteLine($"error: {error}");
                }

                exitCode = 2;
                return false;
            }

            options.DataDirectory = Path.GetFullPath(options.DataDirectory);
            Directory.CreateDirectory(options.DataDirectory);
            operatorKey = OperatorKey.Resolve(options.OperatorKey, options.DataDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or FormatException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            exitCode = 2;
            return false;
        }

        if (string.IsNullOrWhiteSpace(builder.Configuration["urls"])
            && string.IsNullOrWhiteSpace(builder.Configuration["http_ports"])
            && string.IsNullOrWhiteSpace(builder.Configuration["https_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddSingleton(operatorKey);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<SiloRuntime>();
        builder.UseOrleans(silo =>
        {
            OrleansSetup.Configure(silo, options);
            if (options.Dashboard.Enabled)
            {
                DashboardEndpoints.AddOrleansDashboard(silo);
            }
        });
        services.AddSingleton<MemoryService>();
        services.AddSingleton<OperatorService>();
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions["traceId"] = context.HttpContext.TraceIdentifier;

            // Responses the framework produces without an explanation (unmatched routes, wrong media type) get one.
            context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
            {
                StatusCodes.Status404NotFound => "There is no such route; the API is under /v1 (see /openapi/v1.json).",
                StatusCodes.Status405MethodNotAllowed => "This route does not accept that method (see /openapi/v1.json).",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
                _ => context.ProblemDetails.Title,
            };
        });
        services.AddExceptionHandler<ProblemMapping>();
        services.Configure<RouteHandlerOptions>(routing => routing.ThrowOnBadRequest = true);
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        services.AddApiDocument();
        services.AddSiloHealthChecks();
        var activity = new ActivityRecorder();
        services.AddSingleton(activity);
        services.AddHostedService<ActivityMeterListener>();
        services.AddSingleton<ActivityPublisher>();
        services.AddHostedService(provider => provider.GetRequiredService<ActivityPublisher>());
        services.AddSingleton<ClusterActivityService>();
        services.AddSingleton<DashboardSession>();
        services.AddTenantRateLimiting(options.RateLimit, activity);
        services.AddMemoryMcp();
        services.AddHelaMemTelemetry(options.Telemetry);

        // The provider's clients exist only when one is configured (docs/llm.md); grains and consolidation reach them per
        // tenant through ITenantLlmClients, whose absence tells them there is no LLM.
        services.AddSingleton<ILlmUsageSink, LlmUsageMetrics>();
        services.AddHelaMemLlm(options.Llm);
        if (options.Llm.Enabled)
        {
            services.AddSingleton<HelaMem.Grains.Llm.ITenantLlmClients, TenantLlmClients>();
        }
        return true;
    }

    /// <summary>Error handling, size limit, authentication, rate limiting, then the routes and the MCP endpoint.</summary>
    public static void ConfigurePipeline(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<RequestSizeLimit>();
        app.UseMiddleware<TenantAuthentication>();
        app.UseMiddleware<UserIdCheck>();
        var dashboard = app.Services.GetRequiredService<ServiceOptions>().Dashboard.Enabled;
        if (dashboard)
        {
            app.UseOperatorDashboardAccess();
        }

        app.UseRateLimiter();
        app.MapOpenApi();
        app.MapHelaMemTelemetry(app.Services.GetRequiredService<ServiceOptions>().Telemetry);
        app.MapHealthEndpoints();
        app.MapUserEndpoints();
        app.MapOperatorEndpoints();
        app.MapMemoryMcp();
        if (dashboard)
        {
            app.MapOperatorDashboard();
        }

        StartupBanner.Register(app, app.Services.GetRequiredService<OperatorKey>(), app.Services.GetRequiredService<SiloRuntime>());
    }

    // The profile's shared storage must answer and accept the credentials before Orleans starts: Orleans' providers
    // would otherwise retry for minutes while the silo looks alive. The embedded profile's SQLite file is opened (and
    // its schema checked) by the provider itself, which stops the host on failure.
    private static string? CheckStorage(ServiceOptions options) => options.Cluster.Profile switch
    {
        // Blocking is fine here: this runs once on the main thread before the host exists (no synchronization context).
        DeploymentProfiles.Azure => AzureStorageProbe.CheckAsync(options.Azure, AzureStorageNames.For(options.Cluster.ServiceId)).GetAwaiter().GetResult(),
        DeploymentProfiles.Postgres => HelaMem.Persistence.Postgres.PostgresStorageProbe.CheckAsync(
            options.Postgres.ConnectionString!, TimeSpan.FromSeconds(options.Postgres.ProbeTimeoutSeconds)).GetAwaiter().GetResult(),
        _ => null,
    };

    private static ServiceOptions ReadOptions(ConfigurationManager configuration)
    {
        var options = new ServiceOptions();
        configuration.GetSection(ServiceOptions.Section).Bind(options);
        if (configuration["HELAMEM_DATA_DIR"] is { Length: > 0 } dataDirectory)
        {
            options.DataDirectory = dataDirectory;
        }

        if (configuration["HELAMEM_OPERATOR_KEY"] is { Length: > 0 } operatorKey)
        {
            options.OperatorKey = operatorKey;
        }

        return options;
    }
}
