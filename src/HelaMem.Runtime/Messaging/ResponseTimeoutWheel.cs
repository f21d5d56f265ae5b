namespace HelaMem.Runtime.Messaging;

/// <summary>
/// Times out pending calls without a timer per call: each call is pushed (lock-free, through its own intrusive link)
/// into the bucket of its deadline, and one periodic tick fails the expired calls of the buckets it passed. Calls
/// completed meanwhile are simply dropped from the bucket. Timeouts fire up to one granularity late.
/// </summary>
internal sealed class ResponseTimeoutWheel : IDisposable
{
    private const int BucketCount = 512;
    private const int Mask = BucketCount - 1;

    private readonly Message?[] _buckets = new Message?[BucketCount];
    private readonly long _granularityMs;
    private readonly ITimer _timer;
    private long _processedSlot;

    public ResponseTimeoutWheel(TimeSpan granularity, TimeProvider timeProvider)
    {
        _granularityMs = Math.Max(1, (long)granularity.TotalMilliseconds);
        _processedSlot = (Environment.TickCount64 / _granularityMs) - 1;
        _timer = timeProvider.CreateTimer(static s => ((ResponseTimeoutWheel)s!).Tick(), this, granularity, granularity);
    }

    public void Add(Message message)
    {
        // A deadline in a bucket the tick already passed goes to the next one, which is processed next.
        var slot = Math.Max(message.DeadlineTicks / _granularityMs, Volatile.Read(ref _processedSlot) + 1);
        ref var bucket = ref _buckets[slot & Mask];
        Message? head;
        do
        {
            head = Volatile.Read(ref bucket);
            message.NextInWheel = head;
        }
        while (Interlocked.CompareExchange(ref bucket, message, head) != head);
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        var now = Environment.TickCount64;
        var nowSlot = now / _granularityMs;
        var from = Volatile.Read(ref _processedSlot) + 1;
        if (nowSlot - from >= BucketCount)
        {
            from = nowSlot - BucketCount + 1;
        }

        for (var slot = from; slot <= nowSlot; slot++)
        {
            Volatile.Write(ref _processedSlot, slot);
            var message = Interlocked.Exchange(ref _buckets[slot & Mask], null);
            while (message is not null)
            {
                var next = message.NextInWheel;
                message.NextInWheel = null;
                if (message.Response is { IsCompleted: false } response)
                {
                    if (message.DeadlineTicks <= now)
                    {
                        message.TryCancel();
                        if (response.TryFail(new TimeoutException($"{message} did not complete within its timeout or deadline.")))
                        {
                            RuntimeInstrumentation.CallTimeouts.Add(1);
                        }
                    }
                    else
                    {
                        Add(message);
                    }
                }

                message = next;
            }
        }
    }
}
