namespace HelaMem.Runtime.Tests.Grains;

/// <summary>Detects any overlap of its own turns (requests and timer ticks) and any lost update.</summary>
public interface IIsolationGrain : IGrainWithStringKey
{
    Task Advance();

    Task StartTimer(int periodMs);

    Task<IsolationReport> Report();
}

public sealed record IsolationReport(int Steps, int TimerTicks, int Overlaps);

[GrainType("isolation")]
public sealed class IsolationGrain : Grain, IIsolationGrain
{
    private int _inside;
    private int _overlaps;
    private int _steps;
    private int _ticks;

    public async Task Advance()
    {
        Enter();
        var before = _steps;
        await Task.Yield();
        Exit();
        await Task.Delay(1);
        Enter();
        _steps = before + 1; // a lost update would show if another turn ran in between
        Exit();
    }

    public Task StartTimer(int periodMs)
    {
        RegisterGrainTimer(async _ =>
        {
            Enter();
            await Task.Yield();
            _ticks++;
            Exit();
        }, TimeSpan.FromMilliseconds(periodMs), TimeSpan.FromMilliseconds(periodMs));
        return Task.CompletedTask;
    }

    public Task<IsolationReport> Report() => Task.FromResult(new IsolationReport(_steps, _ticks, _overlaps));

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1)
        {
            Interlocked.Increment(ref _overlaps);
        }
    }

    private void Exit() => Interlocked.Decrement(ref _inside);
}
