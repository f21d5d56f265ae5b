using HelaMem.Cli.Commands;
using Spectre.Console;

namespace HelaMem.Cli.Tests;

public sealed class PlainProgressTests
{
    [Fact]
    public void Lines_are_at_least_the_interval_apart_and_the_total_is_always_shown_once()
    {
        var (console, writer) = PipedConsole();
        var clock = new ManualClock();
        var progress = new PlainProgress(console, "hela (none)", 10, "questions", TimeSpan.FromSeconds(1), clock);
        for (var i = 0; i < 10; i++)
        {
            clock.Advance(TimeSpan.FromMilliseconds(400));
            progress.Advance(1);
        }

        progress.Finish();

        // 0.4 s a step: a line once a second has passed since the last (steps 3, 6, 9), then the total.
        Assert.Equal(
            ["hela (none): 3/10 questions", "hela (none): 6/10 questions", "hela (none): 9/10 questions", "hela (none): 10/10 questions"],
            Lines(writer));
    }

    [Fact]
    public void A_zero_interval_shows_every_step_and_finish_adds_nothing_after_the_total()
    {
        var (console, writer) = PipedConsole();
        var progress = new PlainProgress(console, "ingesting into alice", 419, "messages", TimeSpan.Zero, new ManualClock());
        progress.Advance(200);
        progress.Advance(200);
        progress.Advance(19);
        progress.Finish();

        Assert.Equal(["ingesting into alice: 200/419 messages", "ingesting into alice: 400/419 messages", "ingesting into alice: 419/419 messages"], Lines(writer));
    }

    [Fact]
    public void Only_an_interactive_ansi_terminal_gets_the_live_bar()
    {
        Assert.False(PlainProgress.LiveBarWorks(PipedConsole().Console));
        using var writer = new StringWriter();
        var terminal = AnsiConsole.Create(new AnsiConsoleSettings { Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes, Out = new AnsiConsoleOutput(writer) });
        Assert.True(PlainProgress.LiveBarWorks(terminal));
    }

    private static (IAnsiConsole Console, StringWriter Writer) PipedConsole()
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        return (console, writer);
    }

    private static string[] Lines(StringWriter writer) => writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>A clock that moves only when told.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
