namespace HelaMem.Runtime.Messaging;

/// <summary>
/// Times out pending calls without a timer per call: each call is linked (through its own intrusive links, no
/// allocation) into the bucket of its deadline, and one periodic tick fails the expired calls of the buckets it
/// passed. Timeouts fire up to one granularity late.
/// </summary>
/// <remarks>
/// A call leaves the wheel the moment it completes. Leaving completed calls in their bucket until their deadline
/// (30 s by default) kept every message, its completion and its result reachable that long, so at hundreds of
/// thousands of calls per second each one survived into the older GC generations: most of a call's cost was the
/// garbage collector copying and later collecting them. Removal needs a lock; the wheel is split into stripes chosen
/// by the sending thread, so two threads rarely take the same lock, and each lock is held for a few pointer writes.
/// </remarks>
internal sealed class ResponseTimeoutWheel : IDisposable
{
    private const int BucketCount = 512;
    private const int Mask = BucketCount - 1;

    private readonly Stripe[] _stripes;
    private readonly int _stripeMask;
    private readonly long _granularityMs;
    private readonly ITimer _timer;
    private long _processedSlot;

    public ResponseTimeoutWheel(TimeSpan granularity, TimeProvider timeProvider)
    {
        _granularityMs = Math.Max(1, (long)granularity.TotalMilliseconds);
        _processedSlot = (Environment.TickCount64 / _granularityMs) - 1;
        var stripeCount = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount * 2));
        _stripes = new Stripe[stripeCount];
        for (var i = 0; i < stripeCount; i++)
        {
            _stripes[i] = new Stripe();
        }

        _stripeMask = stripeCount - 1;
        _timer = timeProvider.CreateTimer(static s => ((ResponseTimeoutWheel)s!).Tick(), this, granularity, granularity);
    }

    /// <summary>How many calls are in the wheel (for tests and diagnostics; takes every stripe's lock).</summary>
    public int Count
    {
        get
        {
            var count = 0;
            foreach (var stripe in _stripes)
            {
                lock (stripe.Lock)
                {
                    count += stripe.Count;
                }
            }

            return count;
        }
    }

    public void Add(Message message)
    {
        var stripe = _stripes[Environment.CurrentManagedThreadId & _stripeMask];
        lock (stripe.Lock)
        {
            // A deadline in a bucket the tick already passed goes to the next one, which is processed next.
            var slot = Math.Max(message.DeadlineTicks / _granularityMs, Volatile.Read(ref _processedSlot) + 1);
            stripe.Link(message, (int)(slot & Mask));
        }
    }

    /// <summary>Takes a completed call out of the wheel (nothing when the tick already took it).</summary>
    public static void Remove(Message message)
    {
        if (Volatile.Read(ref message.WheelStripe) is not Stripe stripe)
        {
            return;
        }

        lock (stripe.Lock)
        {
            if (ReferenceEquals(message.WheelStripe, stripe))
            {
                stripe.Unlink(message);
            }
        }
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
            var bucket = (int)(slot & Mask);
            foreach (var stripe in _stripes)
            {
                Message? expired = null;
                lock (stripe.Lock)
                {
                    // Due calls leave the wheel under the lock; their callers are failed outside it. Calls whose
                    // deadline is a whole turn of the wheel away (very long timeouts) stay in their bucket.
                    for (var message = stripe.Buckets[bucket]; message is not null;)
                    {
                        var next = message.NextInWheel;
                        if (message.DeadlineTicks <= now)
                        {
                            stripe.Unlink(message);
                            message.NextInWheel = expired;
                            expired = message;
                        }

                        message = next;
                    }
                }

                FailExpired(expired);
            }
        }
    }

    private static void FailExpired(Message? expired)
    {
        while (expired is not null)
        {
            var next = expired.NextInWheel;
            expired.NextInWheel = null;
            if (expired.Response is { IsCompleted: false } response)
            {
                expired.TryCancel();
                if (response.TryFail(new TimeoutException($"{expired} did not complete within its timeout or deadline.")))
                {
                    RuntimeInstrumentation.CallTimeouts.Add(1);
                }
            }

            expired = next;
        }
    }

    /// <summary>One lock and one set of doubly linked buckets.</summary>
    internal sealed class Stripe
    {
        public readonly Lock Lock = new();
        public readonly Message?[] Buckets = new Message?[BucketCount];
        public int Count;

        public void Link(Message message, int bucket)
        {
            var head = Buckets[bucket];
            message.NextInWheel = head;
            message.PreviousInWheel = null;
            if (head is not null)
            {
                head.PreviousInWheel = message;
            }

            Buckets[bucket] = message;
            message.WheelBucket = bucket;
            Volatile.Write(ref message.WheelStripe, this);
            Count++;
        }

        public void Unlink(Message message)
        {
            if (message.PreviousInWheel is { } previous)
            {
                previous.NextInWheel = message.NextInWheel;
            }
            else
            {
                Buckets[message.WheelBucket] = message.NextInWheel;
            }

            if (message.NextInWheel is { } next)
            {
                next.PreviousInWheel = message.PreviousInWheel;
            }

            message.NextInWheel = null;
            message.PreviousInWheel = null;
            Volatile.Write(ref message.WheelStripe, null);
            Count--;
        }
    }
}
