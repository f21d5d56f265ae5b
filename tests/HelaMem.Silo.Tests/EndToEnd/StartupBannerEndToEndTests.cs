using HelaMem.Silo.Tests.Infrastructure;

namespace HelaMem.Silo.Tests.EndToEnd;

/// <summary>
/// The startup banner on one data directory: started as the README does (<c>dotnet run</c>, no environment variable)
/// the silo runs in Production and, having no tenant, shows how to create the first; once a tenant exists a restart
/// shows the tenant count instead.
/// </summary>
public sealed class StartupBannerEndToEndTests
{
    private const string OperatorKey = "e2e-operator-key-banner-0123456789";
    private const string FirstTenantHint = "Create the first tenant";

    [Fact]
    public async Task Production_by_default_hint_on_a_new_silo_and_the_tenant_count_after_a_restart()
    {
        using var data = new TempDirectory("helamem-e2e-banner");
        await using (var silo = await SiloProcess.StartWithDotnetRunAsync(data.Path, OperatorKey))
        {
            Assert.Contains("  environment:    Production ", silo.Output, StringComparison.Ordinal);
            Assert.Contains("  rate limit:     200 requests burst, 100 per 1 s per tenant (HelaMem:RateLimit)", silo.Output, StringComparison.Ordinal);
            Assert.Contains(FirstTenantHint, silo.Output, StringComparison.Ordinal);
            Assert.Contains($"  dashboard:      {silo.Url.ToString().TrimEnd('/')}/dashboard/ (sign in with the operator key", silo.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("  tenants: ", silo.Output, StringComparison.Ordinal);

            var operatorEnv = new Dictionary<string, string> { ["HELAMEM_URL"] = silo.Url.ToString(), ["HELAMEM_OPERATOR_KEY"] = OperatorKey };
            foreach (var tenant in new[] { "banner-a", "banner-b" })
            {
                var (code, output) = await ProcessRunner.RunCliAsync(operatorEnv, "tenants", "create", tenant);
                Assert.True(code == 0, output);
            }

            await silo.KillAsync();
        }

        await using var restarted = await SiloProcess.StartAsync(
            data.Path, OperatorKey, new Dictionary<string, string> { ["HelaMem__RateLimit__TokenLimit"] = "50", ["HelaMem__RateLimit__PeriodSeconds"] = "2.5", ["HelaMem__Dashboard__Enabled"] = "false" });
        Assert.Contains("  environment:    Production ", restarted.Output, StringComparison.Ordinal);
        Assert.Contains("  rate limit:     50 requests burst, 100 per 2.5 s per tenant (HelaMem:RateLimit)", restarted.Output, StringComparison.Ordinal);
        Assert.Contains("  tenants:        2 (helamem tenants list)", restarted.Output, StringComparison.Ordinal);
        Assert.Contains("  dashboard:      off (HelaMem:Dashboard:Enabled)", restarted.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(FirstTenantHint, restarted.Output, StringComparison.Ordinal);
    }
}
