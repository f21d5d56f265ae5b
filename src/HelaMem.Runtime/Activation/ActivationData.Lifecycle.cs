using HelaMem.Runtime.Messaging;

namespace HelaMem.Runtime.Activation;

/// <summary>Activation and deactivation of an activation; both run as turns on its scheduler.</summary>
internal sealed partial class ActivationData
{
    private async Task ActivateAsync()
    {
        InvocationContext.Enter(this);
        Exception? failure = null;
        try
        {
            var owner = await Silo.Directory.RegisterAsync(GrainId, Silo.Address);
            if (owner != Silo.Address)
            {
                // Another silo won the race for this grain: hand every queued request to it.
                var lost = Invalidate();
                Silo.Catalog.Remove(this);
                _terminated.TrySetResult();
                ForEach(lost, message => Silo.Router.Forward(message, owner));
                return;
            }

            using var timeout = new CancellationTokenSource(Silo.Options.ActivationTimeout);
            _instance = CreateInstance();
            if (_states.Count > 0)
            {
                await Task.WhenAll(_states.Select(state => state.ReadStateAsync(timeout.Token)));
            }

            if (_instance is Grain grain)
            {
                await grain.OnActivateAsync(timeout.Token).WaitAsync(Silo.Options.ActivationTimeout, timeout.Token);
            }
        }
        catch (Exception exception)
        {
            failure = exception;
        }

        if (failure is not null)
        {
            var failed = Invalidate();
            Log.ActivationFailed(Silo.Logger, failure, GrainId, Count(failed));
            Silo.Catalog.Remove(this);
            await UnregisterAsync();
            _terminated.TrySetResult();
            ForEach(failed, message => message.Response?.TryFail(failure));
            return;
        }

        RuntimeInstrumentation.ActivationsCreated.Add(1);
        RuntimeInstrumentation.ActivationsActive.Add(1);
        Log.Activated(Silo.Logger, GrainId, Silo.Address);

        var schedulePump = false;
        DeactivationReason? requested;
        lock (_lock)
        {
            _state = ActivationState.Valid;
            _lastActiveTicks = Environment.TickCount64;
            requested = _deactivationRequest;
            if (_pendingCount > 0 && !_pumpScheduled)
            {
                _pumpScheduled = true;
                schedulePump = true;
            }
        }

        if (schedulePump)
        {
            Scheduler.Queue(PumpCallback, this);
        }

        if (requested is { } reason)
        {
            StartDeactivation(reason);
        }
    }

    private object CreateInstance()
    {
        var plan = ClassInfo.ConstructorPlan ??= GrainConstructorPlan.Build(ClassInfo);
        t_constructing = this;
        try
        {
            return plan.Create(this);
        }
        finally
        {
            t_constructing = null;
        }
    }

    private async Task DeactivateAsync()
    {
        InvocationContext.Enter(this);
        DisposeTimers();
        DeactivationReason reason;
        lock (_lock)
        {
            reason = _deactivationRequest ?? DeactivationReason.Forced;
        }

        if (_instance is Grain grain)
        {
            try
            {
                using var timeout = new CancellationTokenSource(Silo.Options.DeactivationTimeout);
                await grain.OnDeactivateAsync(reason, timeout.Token).WaitAsync(Silo.Options.DeactivationTimeout, timeout.Token);
            }
            catch (Exception exception)
            {
                Log.DeactivationHookFailed(Silo.Logger, exception, GrainId);
            }
        }

        var pending = Invalidate();
        Silo.Catalog.Remove(this);
        await UnregisterAsync();
        RuntimeInstrumentation.ActivationsDeactivated.Add(1);
        RuntimeInstrumentation.ActivationsActive.Add(-1);
        Log.Deactivated(Silo.Logger, GrainId, reason);
        _terminated.TrySetResult();

        // Requests that arrived during deactivation go to a fresh activation (here or, if this silo stops, elsewhere).
        ForEach(pending, Silo.Router.Dispatch);
    }

    private Message? Invalidate()
    {
        lock (_lock)
        {
            _state = ActivationState.Invalid;
            return DetachPending();
        }
    }

    private async Task UnregisterAsync()
    {
        try
        {
            await Silo.Directory.UnregisterAsync(GrainId, Silo.Address);
        }
        catch (Exception exception)
        {
            Log.DirectoryUnregisterFailed(Silo.Logger, exception, GrainId);
        }
    }

    private static int Count(Message? list)
    {
        var count = 0;
        for (var message = list; message is not null; message = message.NextPending)
        {
            count++;
        }

        return count;
    }

    private static void ForEach(Message? list, Action<Message> action)
    {
        for (var message = list; message is not null;)
        {
            var next = message.NextPending;
            message.NextPending = null;
            message.PreviousPending = null;
            message.TargetActivation = null;
            action(message);
            message = next;
        }
    }
}
