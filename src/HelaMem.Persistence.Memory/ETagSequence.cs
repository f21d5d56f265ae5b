using System.Globalization;

namespace HelaMem.Persistence.Memory;

/// <summary>
/// Hands out ETags from one monotonically increasing counter per provider, so that an ETag never repeats for a
/// key, not even after the key was cleared and written again (a per-key version would restart and could let a
/// writer holding a pre-clear ETag overwrite the new record).
/// </summary>
internal sealed class ETagSequence
{
    private long _last;

    public string Next() => Interlocked.Increment(ref _last).ToString(CultureInfo.InvariantCulture);
}
