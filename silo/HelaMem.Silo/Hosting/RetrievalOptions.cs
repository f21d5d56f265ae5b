using HelaMem.Core;

namespace HelaMem.Silo.Hosting;

/// <summary>Section <c>HelaMem:Retrieval</c>: what a tenant that sets no retrieval profile gets.</summary>
public sealed class RetrievalOptions
{
    /// <summary>
    /// The profile of users created in a tenant without its own (<see cref="RetrievalProfiles.Names"/>). Default
    /// "helamem-3", the best measured configuration; tenants stored before profiles existed have none and get it
    /// for their new users too, while their existing users keep "paper" (what the silo ran when they were created).
    /// </summary>
    public string Profile { get; set; } = RetrievalProfiles.HelaMem3Name;
}
