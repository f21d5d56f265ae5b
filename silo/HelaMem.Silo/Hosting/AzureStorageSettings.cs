using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Section <c>HelaMem:Azure</c>: the storage account of the <c>azure</c> profile. Either a connection string (account
/// key or SAS), or the blob and table service URIs with Entra ID through <c>DefaultAzureCredential</c>.
/// </summary>
public sealed class AzureStorageSettings
{
    /// <summary>A storage connection string (secret: never printed).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The blob service URI for Entra ID, e.g. <c>https://account.blob.core.windows.net</c>.</summary>
    public string? BlobServiceUri { get; set; }

    /// <summary>The table service URI for Entra ID, e.g. <c>https://account.table.core.windows.net</c>.</summary>
    public string? TableServiceUri { get; set; }

    /// <summary>How long the start-up check of the storage account may take, in seconds, before the silo refuses to start.</summary>
    public double ProbeTimeoutSeconds { get; set; } = 15;

    /// <summary>Whether the settings name a connection string (otherwise Entra ID with the service URIs).</summary>
    public bool UsesConnectionString => !string.IsNullOrWhiteSpace(ConnectionString);

    /// <summary>One line per invalid setting of the azure profile.</summary>
    public IEnumerable<string> Validate()
    {
        var hasBlobUri = !string.IsNullOrWhiteSpace(BlobServiceUri);
        var hasTableUri = !string.IsNullOrWhiteSpace(TableServiceUri);
        if (UsesConnectionString)
        {
            if (hasBlobUri || hasTableUri)
            {
                yield return "HelaMem:Azure:ConnectionString is set together with HelaMem:Azure:BlobServiceUri/TableServiceUri; set the connection string, or the two service URIs for Entra ID, not both.";
            }
            else if (!IsValidConnectionString(ConnectionString!))
            {
                // The value itself is a secret: the line names the setting only.
                yield return "HelaMem:Azure:ConnectionString (HelaMem__Azure__ConnectionString) is not a valid Azure Storage connection string with blob and table endpoints (e.g. DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net).";
            }
        }
        else if (!hasBlobUri && !hasTableUri)
        {
            yield return "HelaMem:Azure:ConnectionString (HelaMem__Azure__ConnectionString) is not set; the azure profile needs it, or HelaMem:Azure:BlobServiceUri and HelaMem:Azure:TableServiceUri to sign in with Entra ID.";
        }
        else
        {
            if (CheckServiceUri("BlobServiceUri", BlobServiceUri) is { } blobError)
            {
                yield return blobError;
            }

            if (CheckServiceUri("TableServiceUri", TableServiceUri) is { } tableError)
            {
                yield return tableError;
            }
        }

        if (!(ProbeTimeoutSeconds >= 1 && ProbeTimeoutSeconds <= 300))
        {
            yield return $"HelaMem:Azure:ProbeTimeoutSeconds is {ProbeTimeoutSeconds}; it must be between 1 and 300.";
        }
    }

    private static string? CheckServiceUri(string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return $"HelaMem:Azure:{name} (HelaMem__Azure__{name}) is not set; Entra ID needs both HelaMem:Azure:BlobServiceUri and HelaMem:Azure:TableServiceUri (or set HelaMem:Azure:ConnectionString instead).";
        }

        // https only: the Azure SDK sends no Entra ID token over plain http.
        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(uri.Query)
            ? null
            : $"HelaMem:Azure:{name} is '{value}'; it must be an https URL without a query, e.g. https://account.{(name == "BlobServiceUri" ? "blob" : "table")}.core.windows.net.";
    }

    private static bool IsValidConnectionString(string connectionString)
    {
        try
        {
            // The clients parse the string as the silo will; neither contacts the account here.
            _ = new BlobServiceClient(connectionString);
            _ = new TableServiceClient(connectionString);
            return true;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }
}
