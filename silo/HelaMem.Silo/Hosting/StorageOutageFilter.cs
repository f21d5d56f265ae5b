using HelaMem.Abstractions.Contracts;
using HelaMem.Silo.Api;

namespace HelaMem.Silo.Hosting;

/// <summary>
/// Turns a grain call that failed because the storage did not answer (<see cref="StorageFailures"/>) into a
/// <see cref="StorageUnavailableException"/>: the storage clients' own exceptions have no Orleans codec, so a caller on
/// another silo would get a serialization failure (answered with 500) instead of the outage (503).
/// </summary>
internal sealed class StorageOutageFilter : IIncomingGrainCallFilter
{
    public Task Invoke(IIncomingGrainCallContext context)
    {
        // Most calls finish synchronously and well: no extra state machine for them.
        var call = context.Invoke();
        return call.IsCompletedSuccessfully ? Task.CompletedTask : TranslateAsync(call);
    }

    private static async Task TranslateAsync(Task call)
    {
        try
        {
            await call;
        }
        catch (Exception error) when (error is not StorageUnavailableException && StorageFailures.IsUnavailable(error))
        {
            throw new StorageUnavailableException($"The storage did not answer: {FirstLine(error.Message)}");
        }
    }

    private static string FirstLine(string text) => text.Split('\n', 2)[0].Trim();
}
