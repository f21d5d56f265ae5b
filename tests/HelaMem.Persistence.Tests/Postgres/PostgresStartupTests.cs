using HelaMem.Persistence.Postgres;
using HelaMem.Tests.Servers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Hosting;
using Orleans.Runtime;

namespace HelaMem.Persistence.Tests.Postgres;

/// <summary>
/// A wrong connection string, an unreachable server, a bad password or a missing database stop the provider (and a
/// silo) at start with one line that names HelaMem:Postgres:ConnectionString and never shows the password.
/// </summary>
[Collection(PostgresServerGroup.Name)]
public sealed class PostgresStartupTests(PostgresFixture fixture)
{
    private const string Setting = PostgresStorageOptions.ConnectionStringSetting;

    public static TheoryData<string, string> BadConnections => new()
    {
        { "wrong password", "password authentication failed" },
        { "missing database", "does not exist" },
        { "closed port", "Failed to connect" },
    };

    [Theory]
    [MemberData(nameof(BadConnections))]
    public async Task Each_provider_refuses_to_start_with_one_line_naming_the_setting_and_hiding_the_password(string problem, string reason)
    {
        var connectionString = BadConnectionString(problem);
        var serviceId = PostgresTestStores.NewServiceId();

        var errors = new List<Exception>
        {
            await Assert.ThrowsAsync<OrleansConfigurationException>(() => PostgresTestStores.StartedStorageAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString)),
            await Assert.ThrowsAsync<OrleansConfigurationException>(() => PostgresTestStores.StartedRemindersAsync(fixture.Server, serviceId, o => o.ConnectionString = connectionString)),
            await Assert.ThrowsAsync<OrleansConfigurationException>(() => PostgresTestStores.Membership(fixture.Server, serviceId, o => o.ConnectionString = connectionString).InitializeMembershipTable(true)),
        };

        foreach (var error in errors)
        {
            Assert.StartsWith($"{Setting}: ", error.Message, StringComparison.Ordinal);
            Assert.Contains(reason, error.Message, StringComparison.Ordinal);
            Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error.Message);
            Assert.DoesNotContain("wrong-secret", error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(PostgresServer.Password, error.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("", "is required")]
    [InlineData("Host=127.0.0.1;Prot=5432;Password=wrong-secret", "not a valid Npgsql connection string")]
    [InlineData("Host=127.0.0.1;Port=nope;Password=wrong-secret", "not a valid Npgsql connection string")]
    public void A_missing_or_malformed_connection_string_is_refused_before_anything_connects(string connectionString, string reason)
    {
        var options = PostgresTestStores.Options(fixture.Server, o => o.ConnectionString = connectionString);

        var error = Assert.Throws<OrleansConfigurationException>(() => options.Validate("notes"));

        Assert.StartsWith(Setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_with_a_bad_password_does_not_start_and_logs_no_password()
    {
        var connectionString = BadConnectionString("wrong password");
        var logs = new RecordingLoggerProvider();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddProvider(logs);
        builder.UseOrleans(silo => silo
            .Configure<Orleans.Configuration.EndpointOptions>(o => o.AdvertisedIPAddress = System.Net.IPAddress.Loopback)
            .UsePostgresClustering(o => o.ConnectionString = connectionString)
            .AddPostgresGrainStorage("notes", o => o.ConnectionString = connectionString)
            .UsePostgresReminderService(o => o.ConnectionString = connectionString));
        using var host = builder.Build();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());

        var configuration = FindInner<OrleansConfigurationException>(error);
        Assert.True(configuration is not null, error.ToString());
        Assert.StartsWith($"{Setting}: ", configuration.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", configuration.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("wrong-secret", StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
    }

    private string BadConnectionString(string problem) => problem switch
    {
        "wrong password" => fixture.Server.ConnectionString(password: "wrong-secret"),
        "missing database" => fixture.Server.ConnectionString(database: "no_such_database"),
        "closed port" => new NpgsqlConnectionStringBuilder(fixture.Server.ConnectionString(password: "wrong-secret")) { Port = ClosedPort() }.ConnectionString,
        _ => throw new ArgumentOutOfRangeException(nameof(problem), problem, "unknown problem"),
    };

    private static int ClosedPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static T? FindInner<T>(Exception? error)
        where T : Exception
    {
        for (; error is not null; error = error.InnerException)
        {
            if (error is T found)
            {
                return found;
            }

            if (error is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    if (FindInner<T>(inner) is { } nested)
                    {
                        return nested;
                    }
                }
            }
        }

        return null;
    }
}
