namespace HelaMem.Llm;

/// <summary>
/// Counts consecutive transient failures of one provider; after <c>breakAfter</c> of them it opens and refuses calls
/// for <c>breakFor</c>, so that a provider that is down costs callers nothing but an exception. After that time calls
/// pass again: the first success closes it, the first failure opens it for another period.
/// </summary>
internal sealed class CircuitBreaker(int breakAfter, TimeSpan breakFor, TimeProvider time)
{
    private readonly Lock _gate = new();
    private int _consecutiveFailures;
    private DateTimeOffset _openUntil = DateTimeOffset.MinValue;

    /// <summary>When the breaker is open: the time it closes; otherwise null.</summary>
    public DateTimeOffset? OpenUntil()
    {
        lock (_gate)
        {
            return time.GetUtcNow() < _openUntil ? _openUntil : null;
        }
    }

    /// <summary>Closes the breaker.</summary>
    public void RecordSuccess()
    {
        lock (_gate)
        {
            _consecutiveFailures = 0;
            _openUntil = DateTimeOffset.MinValue;
        }
    }

    /// <summary>Counts a transient failure; returns true when this failure opened the breaker.</summary>
    public bool RecordFailure()
    {
        lock (_gate)
        {
            _consecutiveFailures++;
            var now = time.GetUtcNow();
            if (_consecutiveFailures < breakAfter || now < _openUntil)
            {
                return false;
            }

            _openUntil = now + breakFor;
            return true;
        }
    }
}
