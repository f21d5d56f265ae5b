using System.Net.Http;
using Azure;
using Azure.Identity;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Checks the azure profile's storage account before Orleans starts: creates (when missing) the membership and
/// reminder tables and the grain container, as the silo's providers would. A wrong key, a refused identity or an
/// unreachable endpoint becomes one line naming the setting, instead of a silo that retries its membership table
/// for minutes (Orleans' Azure reminder table even retries forever) and never serves.
/// </summary>
internal static class AzureStorageProbe
{
    /// <summary>Null when the account answers and accepts the credentials; else the line that refuses the start.</summary>
    public static async Task<string?> CheckAsync(AzureStorageSettings settings, AzureStorageNames names)
    {
        var timeout = TimeSpan.FromSeconds(settings.ProbeTimeoutSeconds);
        using var deadline = new CancellationTokenSource(timeout);
        var clients = AzureStorageClients.CreateForProbe(settings, timeout);
        var step = "table";
        try
        {
            await clients.Tables.CreateTableIfNotExistsAsync(names.MembershipTable, deadline.Token);
            await clients.Tables.CreateTableIfNotExistsAsync(names.RemindersTable, deadline.Token);
            step = "blob";
            await clients.Blobs.GetBlobContainerClient(names.GrainContainer).CreateIfNotExistsAsync(cancellationToken: deadline.Token);
            return null;
        }
        catch (Exception e) when (e is RequestFailedException or AuthenticationFailedException or OperationCanceledException or HttpRequestException or AggregateException or InvalidOperationException)
        {
            return Describe(e, settings, step, step == "table" ? clients.Tables.Uri : clients.Blobs.Uri, timeout);
        }
    }

    private static string Describe(Exception error, AzureStorageSettings settings, string step, Uri endpoint, TimeSpan timeout)
    {
        var setting = settings.UsesConnectionString
            ? "HelaMem:Azure:ConnectionString"
            : step == "table" ? "HelaMem:Azure:TableServiceUri" : "HelaMem:Azure:BlobServiceUri";

        // The path only: a SAS connection string puts its signature into the query.
        var where = $"the {step} endpoint {endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}";
        return error switch
        {
            RequestFailedException { Status: 401 or 403 } failed when settings.UsesConnectionString =>
                $"{setting}: {where} refused the credentials ({Status(failed)}); check the account name and key (or the SAS token and its permissions).",
            RequestFailedException { Status: 401 or 403 } failed =>
                $"{setting}: {where} refused the Entra ID identity DefaultAzureCredential signed in with ({Status(failed)}); grant it Storage Table Data Contributor and Storage Blob Data Contributor on the account.",
            AuthenticationFailedException failed =>
                $"{setting}: Entra ID sign-in through DefaultAzureCredential failed: {FirstLine(failed.Message)}",
            OperationCanceledException or TaskCanceledException =>
                $"{setting}: {where} did not answer within {timeout.TotalSeconds:0.#} s (HelaMem:Azure:ProbeTimeoutSeconds); check the address and the network.",
            RequestFailedException { Status: 0 } or HttpRequestException or AggregateException =>
                $"{setting}: {where} could not be reached ({FirstLine(Innermost(error).Message)}); check the address and that the account is up.",
            RequestFailedException failed =>
                $"{setting}: {where} answered {Status(failed)} when the silo created its {step}s; check the account and its settings.",
            _ => $"{setting}: {where} failed: {FirstLine(error.Message)}",
        };
    }

    private static string Status(RequestFailedException failed) =>
        string.IsNullOrEmpty(failed.ErrorCode) ? $"HTTP {failed.Status}" : $"HTTP {failed.Status} {failed.ErrorCode}";

    private static Exception Innermost(Exception error)
    {
        while (error.InnerException is not null)
        {
            error = error.InnerException;
        }

        return error;
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOfAny(['\r', '\n']);
        return (end < 0 ? message : message[..end]).Trim();
    }
}
