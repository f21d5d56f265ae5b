using HelaMem.Abstractions.Contracts;
using HelaMem.Abstractions.Grains;
using HelaMem.Abstractions.Keys;
using HelaMem.Client.Contracts;

namespace HelaMem.Silo.Api;

/// <summary>Updates of one memory and its history.</summary>
internal sealed partial class MemoryService
{
    /// <summary>Changes a memory's content and/or metadata; returns the memory as it is now.</summary>
    public async Task<MemoryRecord> UpdateAsync(string tenant, MemoryOwner owner, long id, MemoryUpdateRequest? request)
    {
        var key = Key(tenant, owner);
        if (request is null || (request.Content is null && request.Metadata is null))
        {
            throw ApiProblemException.BadRequest("The body needs 'content', 'metadata' or both: the fields to change.");
        }

        var settings = await Grains.GetGrain<ITenantGrain>(tenant).Settings();
        if (request.Content is not null)
        {
            RequireContent(request.Content, "content", settings.MaxMessageLength);
        }

        RequireMetadata(request.Metadata, "metadata");
        var stats = await RequireUserAsync(key);
        try
        {
            await Grains.GetGrain<IUserGraphGrain>(key.ToString()).Update(id, new MemoryUpdate(request.Content, request.Metadata, clock.GetUtcNow()));
        }
        catch (KeyNotFoundException)
        {
            throw ApiProblemException.UnknownMemory(owner, id);
        }

        var records = await ReadAsync(key, [id], stats.Step);
        return records[0] ?? throw ApiProblemException.UnknownMemory(owner, id);
    }

    /// <summary>Every version of a memory, oldest first.</summary>
    public async Task<MemoryHistory> HistoryAsync(string tenant, MemoryOwner owner, long id)
    {
        var key = Key(tenant, owner);
        var stats = await RequireUserAsync(key);
        if (id < 0 || id >= stats.Nodes)
        {
            throw ApiProblemException.UnknownMemory(owner, id);
        }

        var versions = await Grains.GetGrain<IMemoryNodeGrain>(key.Node(id).ToString()).History();
        if (versions.Count == 0)
        {
            throw ApiProblemException.UnknownMemory(owner, id);
        }

        // A memory ingested before nodes kept their metadata has it in the annotation grain (its first version only).
        var annotation = versions.Count == 1 && versions[0].Metadata is null
            ? (await Grains.GetGrain<HelaMem.Silo.Grains.IMemoryAnnotationGrain>(key.ToString()).Lookup([id]))[0]
            : null;
        return new MemoryHistory(owner.Id, id, [.. versions.Select(v => new MemoryVersionRecord(
            v.Version,
            v.Event == MemoryVersionEvent.Created ? "created" : "updated",
            v.Content,
            v.Metadata ?? annotation?.Metadata ?? NoMetadata,
            v.At))]);
    }
}
