namespace Converge.Cli;

/// <summary>
/// Ctrl-C while training: the first press asks training to stop after the current epoch and keep
/// the best model so far (it is saved, with a notice); the second aborts at once with nothing
/// written, the terminal cursor restored (a live progress bar hides it).
/// </summary>
public sealed class TrainInterrupt : IDisposable
{
    /// <summary>Exit code after an abort, as a shell reports a process ended by SIGINT.</summary>
    public const int AbortExitCode = 130;

    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly bool _console;
    private int _presses;

    private TrainInterrupt(TextWriter error, bool console)
    {
        _error = error;
        _console = console;
        if (console) Console.CancelKeyPress += OnCancelKeyPress;
    }

    /// <summary>Listens to Ctrl-C on the process console, writing its notices to <paramref name="error"/>.</summary>
    public static TrainInterrupt FromConsole(TextWriter error) => new(error, console: true);

    /// <summary>An interrupt pressed only by <see cref="Press"/> (tests).</summary>
    public static TrainInterrupt Manual(TextWriter error) => new(error, console: false);

    /// <summary>Signalled at the first press: stop after the current epoch.</summary>
    public CancellationToken StopRequest => _stop.Token;

    /// <summary>True after a second press: nothing may be written.</summary>
    public bool Aborted => Volatile.Read(ref _presses) >= 2;

    /// <summary>One Ctrl-C. Returns true when the process should stay alive (the first press).</summary>
    public bool Press()
    {
        var presses = Interlocked.Increment(ref _presses);
        if (presses == 1)
        {
            _error.WriteLine();
            _error.WriteLine("interrupted: finishing this epoch, then saving the best model so far (Ctrl-C again aborts with nothing written).");
            _error.Flush();
            _stop.Cancel();
            return true;
        }
        if (_console) Console.Write("\u001b[?25h");
        _error.WriteLine("aborted: nothing written.");
        _error.Flush();
        return false;
    }

    public void Dispose()
    {
        if (_console) Console.CancelKeyPress -= OnCancelKeyPress;
        _stop.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        // The second press lets the runtime end the process (exit 130) before anything is saved.
        e.Cancel = Press();
        if (!e.Cancel) Environment.Exit(AbortExitCode);
    }
}
