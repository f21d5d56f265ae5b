using System.Net.Sockets;
using Azure;
using HelaMem.Abstractions.Contracts;
using HelaMem.Persistence.Postgres;

namespace HelaMem.Silo.Api;

/// <summary>
/// Whether a failure means the shared storage is unreachable (PostgreSQL down, Azure Storage not answering or
/// answering 5xx) rather than a fault of the request or the code: such a request gets 503 with Retry-After, never 500.
/// The storage exception may come wrapped by Orleans (a grain call that failed writing its state), so the whole chain
/// of inner exceptions is looked at.
/// </summary>
internal static class StorageFailures
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case StorageUnavailableException:
                case PostgresUnavailableException:
                case RequestFailedException { Status: 0 or >= 500 }:
                case HttpRequestException:
                case SocketException:
                    return true;
                case AggregateException aggregate when aggregate.InnerExceptions.Any(IsUnavailable):
                    return true;
            }
        }

        return false;
    }
}
