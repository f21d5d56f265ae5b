using System.Security.Cryptography;
using System.Text;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// The tables and the blob container of the azure profile, derived from Orleans' service id so that several services
/// share a storage account without sharing data: <c>{id}membership</c> and <c>{id}reminders</c> (tables), and
/// <c>{id}-grains</c> (container), where <c>{id}</c> is the service id in lower-case letters and digits. When that
/// changes the service id (upper case, other characters) eight hex digits of its SHA-256 follow, so that
/// <c>Help-Mem</c>, <c>helpmem</c> and <c>HelpMem</c> never meet in one container.
/// </summary>
/// <param name="MembershipTable">Orleans' membership table (silos of the clusters of this service).</param>
/// <param name="RemindersTable">Orleans' reminder table.</param>
/// <param name="GrainContainer">The blob container of the memory grains' state.</param>
public sealed record AzureStorageNames(string MembershipTable, string RemindersTable, string GrainContainer)
{
    // Table names are 3 to 63 letters and digits starting with a letter; the longest suffix is "membership" (10).
    private const int MaxStemLength = 40;

    /// <summary>The names for <paramref name="serviceId"/>.</summary>
    public static AzureStorageNames For(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        var stem = new string([.. serviceId.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
        if (stem.Length > MaxStemLength)
        {
            stem = stem[..MaxStemLength];
        }

        if (stem.Length == 0 || !char.IsAsciiLetter(stem[0]))
        {
            stem = "hm" + stem;
        }

        if (!string.Equals(stem, serviceId, StringComparison.Ordinal))
        {
            stem += Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(serviceId)))[..8];
        }

        return new($"{stem}membership", $"{stem}reminders", $"{stem}-grains");
    }
}
