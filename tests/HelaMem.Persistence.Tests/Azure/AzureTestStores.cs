using Azure.Data.Tables;
using Azure.Storage.Blobs;
using HelaMem.Persistence.Sqlite;
using HelaMem.Persistence.Tests.Sqlite;
using HelaMem.TestSupport.Azurite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Reminders.AzureStorage;
using Orleans.Runtime.ReminderService;
using Orleans.Storage;

namespace HelaMem.Persistence.Tests.Azure;

/// <summary>
/// Orleans' Azure providers on the test process's Azurite, configured as the silo's azure profile configures them
/// (HelaMem's JSON grain-state format) and started as the silo lifecycle starts them, outside a silo.
/// </summary>
public static class AzureTestStores
{
    /// <summary>Orleans' Blob grain storage over a container of its own, initialised (the container created).</summary>
    public static async Task<AzureBlobGrainStorage> StartedBlobStorageAsync(AzuriteServer server, string containerName)
    {
        var options = new AzureBlobStorageOptions
        {
            BlobServiceClient = new BlobServiceClient(server.ConnectionString),
            ContainerName = containerName,
            GrainStorageSerializer = new HelaMemJsonGrainStorageSerializer(),
        };
        using var services = new ServiceCollection().AddLogging().BuildServiceProvider();

        // What the provider's lifecycle step (Init) does in a silo: the container factory gets the client and
        // creates the container.
        var containers = options.BuildContainerFactory(services, options);
        await containers.InitializeAsync(options.BlobServiceClient);
        return new AzureBlobGrainStorage("Default", options, containers, SqliteTestStores.Activators, NullLogger<AzureBlobGrainStorage>.Instance);
    }

    /// <summary>Orleans' Azure Table reminder table over a table of its own, started (the table created).</summary>
    public static async Task<AzureBasedReminderTable> StartedReminderTableAsync(AzuriteServer server, string tableName)
    {
        var table = new AzureBasedReminderTable(
            NullLoggerFactory.Instance,
            Options.Create(new ClusterOptions { ServiceId = "conformance", ClusterId = "conformance" }),
            Options.Create(new AzureTableReminderStorageOptions { TableServiceClient = new TableServiceClient(server.ConnectionString), TableName = tableName }));

        // Orleans' table retries its creation until cancelled: a bound turns a broken emulator into a failure.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await table.StartAsync(timeout.Token);
        return table;
    }

    /// <summary>A table or container name no other test uses (letters and digits, starting with a letter).</summary>
    public static string UniqueName(string stem) => $"{stem}{Guid.NewGuid():N}";
}
