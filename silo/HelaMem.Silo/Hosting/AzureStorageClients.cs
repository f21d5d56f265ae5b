using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;

namespace HelaMem.Silo.Hosting;

/// <summary>The blob and table service clients of the azure profile, from a connection string or Entra ID.</summary>
/// <param name="Blobs">The blob service (grain state).</param>
/// <param name="Tables">The table service (membership and reminders).</param>
internal sealed record AzureStorageClients(BlobServiceClient Blobs, TableServiceClient Tables)
{
    /// <summary>
    /// Clients for the silo's providers. The SDK's defaults (3 retries from 0.8 s, a 100 s network timeout) would hold
    /// a request for many seconds when the account does not answer; a grain call then outlives the client's patience
    /// instead of answering 503. Two quick retries within about a second ride out a blip, then the outage shows.
    /// </summary>
    public static AzureStorageClients Create(AzureStorageSettings settings, TokenCredential? credential = null)
    {
        var blobOptions = new BlobClientOptions();
        var tableOptions = new TableClientOptions();
        foreach (var retry in new[] { blobOptions.Retry, tableOptions.Retry })
        {
            retry.MaxRetries = 2;
            retry.Delay = TimeSpan.FromMilliseconds(200);
            retry.MaxDelay = TimeSpan.FromSeconds(1);
            retry.NetworkTimeout = TimeSpan.FromSeconds(10);
        }

        return Create(settings, blobOptions, tableOptions, credential);
    }

    /// <summary>
    /// Clients that give up quickly, for the start-up check: one retry after a short delay and a short network
    /// timeout, so that an unreachable endpoint is reported within the probe's time limit.
    /// </summary>
    public static AzureStorageClients CreateForProbe(AzureStorageSettings settings, TimeSpan networkTimeout, TokenCredential? credential = null)
    {
        var blobOptions = new BlobClientOptions();
        var tableOptions = new TableClientOptions();
        foreach (var retry in new[] { blobOptions.Retry, tableOptions.Retry })
        {
            retry.MaxRetries = 1;
            retry.Delay = TimeSpan.FromMilliseconds(200);
            retry.NetworkTimeout = networkTimeout;
        }

        return Create(settings, blobOptions, tableOptions, credential);
    }

    private static AzureStorageClients Create(AzureStorageSettings settings, BlobClientOptions blobOptions, TableClientOptions tableOptions, TokenCredential? credential)
    {
        if (settings.UsesConnectionString)
        {
            return new(new BlobServiceClient(settings.ConnectionString, blobOptions), new TableServiceClient(settings.ConnectionString, tableOptions));
        }

        credential ??= new DefaultAzureCredential();
        return new(
            new BlobServiceClient(new Uri(settings.BlobServiceUri!), credential, blobOptions),
            new TableServiceClient(new Uri(settings.TableServiceUri!), credential, tableOptions));
    }
}
