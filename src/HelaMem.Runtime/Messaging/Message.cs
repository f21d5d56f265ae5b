using System.Diagnostics;
using HelaMem.Runtime.CodeGeneration;

namespace HelaMem.Runtime.Messaging;

/// <summary>
/// One request to a grain: target, method, arguments (passed by reference inside a process, so they must be
/// immutable), the caller's request context, call chain, deadline and where the response goes.
/// </summary>
public class Message
{
    private const int Pending = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private int _status;

    internal Message(GrainId target, IGrainMethodInvoker invoker, int methodId, GrainCallBehavior flags, IGrainCallArguments? arguments)
    {
        Target = target;
        Invoker = invoker;
        MethodId = methodId;
        Flags = flags;
        Arguments = arguments;
    }

    /// <summary>The target grain.</summary>
    public GrainId Target { get; }

    /// <summary>The invoker of the interface the caller used.</summary>
    public IGrainMethodInvoker Invoker { get; }

    /// <summary>The method id within that interface.</summary>
    public int MethodId { get; }

    /// <summary>Scheduling flags of the method.</summary>
    public GrainCallBehavior Flags { get; internal set; }

    /// <summary>The call's arguments (null for none).</summary>
    public IGrainCallArguments? Arguments { get; }

    /// <summary>The caller's cancellation token (local calls hand it to the grain method).</summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>The request context captured at the call.</summary>
    public RequestContextData? Context { get; internal set; }

    /// <summary>The activations the call chain passed through before this request.</summary>
    public CallChain? Chain { get; internal set; }

    // The chain of every call this request makes (this request's chain plus its target): one per request, shared by
    // all its outgoing calls, instead of one per call. Immutable, so a racing duplicate is harmless.
    internal CallChain OutgoingChain => field ??= new CallChain(Target, Chain);

    /// <summary>Where the response goes; null for one-way calls.</summary>
    public IResponseSink? Response { get; internal set; }

    /// <summary>The deadline on the <see cref="Environment.TickCount64"/> clock (long.MaxValue: none).</summary>
    public long DeadlineTicks { get; internal set; } = long.MaxValue;

    /// <summary>How often the request was forwarded between silos.</summary>
    public int ForwardCount { get; internal set; }

    /// <summary>The caller's trace context, when tracing is on (default otherwise).</summary>
    public ActivityContext TraceParent => CallerActivity?.Context ?? default;

    // The caller's span itself rather than a copy of its context (a cross-process transport sends TraceParent).
    internal Activity? CallerActivity
    {
        get => _rare?.CallerActivity;
        set
        {
            if (Rare(value) is { } rare)
            {
                rare.CallerActivity = value;
            }
        }
    }

    /// <summary>The method's name (for errors, logs and traces).</summary>
    public string MethodName => Invoker.Descriptor.Methods[MethodId].Name;

    /// <summary>Whether the caller cancelled the request before it started.</summary>
    public bool IsCancelled => Volatile.Read(ref _status) == Cancelled;

    /// <summary>Whether finishing this request resets the activation's idle clock (timer ticks may not).</summary>
    internal bool CountsAsActivity { get; set; } = true;

    /// <summary>The activation the request was queued on.</summary>
    internal Activation.ActivationData? TargetActivation { get; set; }

    /// <summary>The span of the running request, when tracing is on.</summary>
    internal Activity? ServerActivity
    {
        get => _rare?.ServerActivity;
        set
        {
            if (Rare(value) is { } rare)
            {
                rare.ServerActivity = value;
            }
        }
    }

    /// <summary>The grain method's own task when filters wrapped it (it carries the typed result).</summary>
    internal Task? GrainTask
    {
        get => _rare?.GrainTask;
        set
        {
            if (Rare(value) is { } rare)
            {
                rare.GrainTask = value;
            }
        }
    }

    // Intrusive links of the activation's pending list and of the response-timeout wheel: no allocation per hop.
    internal Message? NextPending { get; set; }

    internal Message? PreviousPending { get; set; }

    internal Message? NextInWheel { get; set; }

    internal Message? PreviousInWheel { get; set; }

    // The wheel stripe holding the call (null when not in the wheel) and its bucket; a field so it can be read
    // with acquire semantics by a completing thread.
    internal ResponseTimeoutWheel.Stripe? WheelStripe;

    internal int WheelBucket { get; set; }

    // The grain method's task while it runs asynchronously (see FinishWhenCompleted).
    private Task? _running;

    // Spans and the filtered grain task exist only while tracing or with incoming filters: kept aside, so that the
    // common message carries one reference for them instead of three.
    private RareFields? _rare;

    // Setting null where nothing was set needs no side object.
    private RareFields? Rare(object? value) => value is null && _rare is null ? null : _rare ??= new RareFields();

    /// <summary>Ends the request on its activation once <paramref name="task"/> (the grain method's) completes.</summary>
    /// <remarks>
    /// The continuation is a bare delegate with no synchronization context and no execution-context flow, which the
    /// task stores as is and runs on the thread that completes it: the same behaviour as a synchronous ContinueWith on
    /// the default scheduler, without allocating a continuation task per asynchronous request.
    /// </remarks>
    internal void FinishWhenCompleted(Task task)
    {
        _running = task;
        task.ConfigureAwait(false).GetAwaiter().UnsafeOnCompleted(OnRunningCompleted);
    }

    private void OnRunningCompleted()
    {
        var task = _running!;
        _running = null;
        TargetActivation!.Finished(this, task);
    }

    /// <summary>Marks the request as started; false when it was cancelled first.</summary>
    internal bool TryStart() => Interlocked.CompareExchange(ref _status, Started, Pending) == Pending;

    /// <summary>Cancels the request if it has not started: it will then never run.</summary>
    internal bool TryCancel() => Interlocked.CompareExchange(ref _status, Cancelled, Pending) == Pending;

    /// <inheritdoc />
    public override string ToString() => $"{Invoker.Descriptor.Name}.{MethodName} -> {Target}";

    private sealed class RareFields
    {
        public Activity? CallerActivity;
        public Activity? ServerActivity;
        public Task? GrainTask;
    }
}

/// <summary>Receives the outcome of a request.</summary>
public interface IResponseSink
{
    /// <summary>Whether an outcome was already delivered (e.g. the caller timed out).</summary>
    bool IsCompleted { get; }

    /// <summary>Delivers the grain method's completed task (success, fault or cancellation).</summary>
    void Complete(Task completedTask);

    /// <summary>Delivers a failure that happened before or instead of running the method; false when already completed.</summary>
    bool TryFail(Exception exception);
}
