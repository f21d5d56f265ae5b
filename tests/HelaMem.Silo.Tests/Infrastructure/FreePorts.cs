using System.Net;
using System.Net.Sockets;

namespace HelaMem.Silo.Tests.Infrastructure;

/// <summary>
/// Loopback ports for the silos a test starts (Orleans' silo port, a silo process's HTTP port). xunit runs test
/// classes in parallel and every hosted silo binds its own silo port, so no port is handed out twice in this process.
/// Ports come from below Linux's ephemeral range (32768-60999), where the kernel does not pick the local port of an
/// outgoing connection, so a port that was free when chosen is not taken by a client socket before the silo binds it;
/// a random start keeps concurrent test runs of other worktrees apart. Each candidate is checked by binding it.
/// </summary>
public static class FreePorts
{
    private const int First = 20_000;
    private const int Count = 12_000;

    private static readonly Lock Gate = new();
    private static readonly HashSet<int> HandedOut = [];
    private static int _next = First + Random.Shared.Next(Count);

    /// <summary>A loopback port no other silo of this test run uses, free at the time of the call.</summary>
    public static int Next()
    {
        lock (Gate)
        {
            for (var attempt = 0; attempt < Count; attempt++)
            {
                var port = _next;
                _next = First + ((_next - First + 1) % Count);
                if (!HandedOut.Contains(port) && IsFree(port))
                {
                    HandedOut.Add(port);
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port between {First} and {First + Count - 1}.");
    }

    private static bool IsFree(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        try
        {
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        finally
        {
            listener.Stop();
        }
    }
}
