using System.Globalization;
using Spectre.Console;

namespace HelaMem.Cli.Commands;

/// <summary>
/// Progress of a long operation as plain lines ("ingesting into alice: 200/419 messages") for output that is not a
/// live terminal (a pipe, a file, a CI log): there Spectre's progress bar cannot redraw itself and a reader would see
/// only its first frame. A line at most every <c>interval</c>, and always one at the end.
/// </summary>
public sealed class PlainProgress
{
    private readonly IAnsiConsole _console;
    private readonly string _label;
    private readonly long _total;
    private readonly string _unit;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private long _done;
    private long _shown = -1;
    private long _shownAt;

    /// <summary>Starts counting towards <paramref name="total"/>; lines are no closer together than <paramref name="interval"/> (zero: one per step).</summary>
    public PlainProgress(IAnsiConsole console, string label, long total, string unit, TimeSpan interval, TimeProvider? time = null)
    {
        _console = console;
        _label = label;
        _total = total;
        _unit = unit;
        _interval = interval;
        _time = time ?? TimeProvider.System;
        _shownAt = _time.GetTimestamp();
    }

    /// <summary>Whether <paramref name="console"/> shows Spectre's live progress bar (an interactive ANSI terminal).</summary>
    public static bool LiveBarWorks(IAnsiConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        return console.Profile.Capabilities is { Interactive: true, Ansi: true };
    }

    /// <summary>Counts <paramref name="steps"/> more done; prints a line when the interval has passed or the total is reached.</summary>
    public void Advance(long steps)
    {
        _done = Math.Min(_total, _done + steps);
        if (_done >= _total || _time.GetElapsedTime(_shownAt) >= _interval)
        {
            Show();
        }
    }

    /// <summary>Marks the operation complete: the final "total/total" line, unless it is already printed.</summary>
    public void Finish()
    {
        _done = _total;
        Show();
    }

    private void Show()
    {
        if (_shown == _done)
        {
            return;
        }

        _shown = _done;
        _shownAt = _time.GetTimestamp();
        _console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{_label}: {_done}/{_total} {_unit}"));
    }
}
