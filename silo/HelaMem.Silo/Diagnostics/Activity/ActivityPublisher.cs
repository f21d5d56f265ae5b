using HelaMem.Silo.Grains;
using HelaMem.Silo.Hosting;

namespace HelaMem.Silo.Diagnostics.Activity;

/// <summary>
/// Every <see cref="PushPeriod"/> takes this silo's activity over the recent window from the
/// <see cref="ActivityRecorder"/> and pushes it to the <see cref="IClusterActivityGrain"/>, so the stats route sees
/// the whole cluster at the cost of one grain call per silo and period (none per request).
/// </summary>
internal sealed class ActivityPublisher(ActivityRecorder recorder, IGrainFactory grains, SiloRuntime silo, TimeProvider clock, ILogger<ActivityPublisher> logger)
    : BackgroundService
{
    /// <summary>How often a silo pushes its window.</summary>
    public static readonly TimeSpan PushPeriod = TimeSpan.FromSeconds(2);

    /// <summary>The window the rates and percentiles cover.</summary>
    public static readonly TimeSpan WindowLength = TimeSpan.FromSeconds(60);

    /// <summary>A silo whose last push is older than this has stopped (about five missed pushes).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(10);

    private readonly ActivityWindow _window = new(WindowLength, clock.GetUtcNow());

    /// <summary>This silo's window up to now, without waiting for the next push (the route shows its own silo fresh).</summary>
    public SiloActivity Current() => _window.Take(silo.Address.ToString(), clock.GetUtcNow(), recorder.Read(), keep: false);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PushPeriod, clock);
        var failing = false;

        // The first push while the host starts (the silo is active by then): the cluster sees this silo at once, and
        // the stats grain is activated before the first request rather than in the middle of the traffic.
        do
        {
            var activity = _window.Take(silo.Address.ToString(), clock.GetUtcNow(), recorder.Read(), keep: true);
            if (!silo.IsReady)
            {
                continue;
            }

            try
            {
                await grains.GetGrain<IClusterActivityGrain>(IClusterActivityGrain.Key).Report(activity);
                failing = false;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // Logged once per outage, not every two seconds; the next push replaces the lost window.
                if (!failing)
                {
                    SiloLog.ActivityPushFailed(logger, exception);
                }

                failing = true;
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
