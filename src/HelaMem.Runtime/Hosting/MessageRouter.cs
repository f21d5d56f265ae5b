using HelaMem.Runtime.Activation;
using HelaMem.Runtime.Membership;
using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Hosting;

/// <summary>
/// Decides where a request runs: the local activation if there is one; else the silo the directory names; else the
/// silo placement chooses (creating the activation there). Requests forwarded once are activated where they land,
/// so differing membership views cannot bounce a request around; the directory still keeps one activation.
/// </summary>
internal sealed class MessageRouter(Silo silo) : IMessageReceiver
{
    private const int MaxForwards = 4;

    public void Receive(Message message) => Dispatch(message);

    public void Dispatch(Message message)
    {
        if (silo.Catalog.TryGet(message.Target, out var activation) && activation.TryEnqueue(message))
        {
            return;
        }

        _ = RouteAsync(message);
    }

    public void Forward(Message message, SiloAddress target)
    {
        if (++message.ForwardCount > MaxForwards)
        {
            Fail(message, new InvalidOperationException($"{message} was forwarded {MaxForwards} times between silos without finding its activation; the cluster view is unstable."));
            return;
        }

        if (!silo.Transport.TrySend(target, message))
        {
            Fail(message, new SiloUnavailableException($"Silo {target} is not reachable; {message} was not delivered."));
        }
    }

    private async Task RouteAsync(Message message)
    {
        try
        {
            var info = silo.Registry.GetClass(message.Target.Type);
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var owner = await silo.Directory.LookupAsync(message.Target);
                if (owner is not null && owner != silo.Address)
                {
                    if (silo.Membership.Current.IsServing(owner))
                    {
                        Forward(message, owner);
                        return;
                    }

                    await silo.Directory.UnregisterAsync(message.Target, owner);
                }

                var target = silo.Address;
                if (silo.IsStopping || message.ForwardCount == 0)
                {
                    var active = silo.Membership.Current.ActiveSilos;
                    if (active.Count > 0)
                    {
                        target = silo.Placement.Place(message.Target, info.PlacementKey(message.Target.Key), active);
                    }
                }

                if (target != silo.Address)
                {
                    Forward(message, target);
                    return;
                }

                if (silo.IsStopping)
                {
                    Fail(message, new SiloUnavailableException($"Silo {silo.Address} is shutting down and accepts no new activations; no other silo is active to take {message}."));
                    return;
                }

                var activation = silo.Catalog.GetOrCreate(message.Target, info);
                if (activation.TryEnqueue(message))
                {
                    return;
                }

                // It has just become invalid (failed, lost a race, deactivated) but may not have left the catalog
                // yet; retrying at once could find it again on every attempt. It leaves before it terminates.
                await activation.Terminated;
            }

            Fail(message, new InvalidOperationException($"{message} could not be queued: its activation kept disappearing."));
        }
        catch (Exception exception)
        {
            Fail(message, exception);
        }
    }

    private void Fail(Message message, Exception exception)
    {
        if (message.Response is null || !message.Response.TryFail(exception))
        {
            Log.OneWayCallFailed(silo.Logger, exception, message.ToString());
        }
    }
}
