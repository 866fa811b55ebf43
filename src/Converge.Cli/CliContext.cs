using Spectre.Console;

namespace Converge.Cli;

/// <summary>Where a command writes: plain writers for data (JSON, CSV) and a Spectre console for people.</summary>
public sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, bool interactive, Func<Stream>? input = null, Func<TextWriter, TrainInterrupt>? interrupt = null)
    {
        CreateInterrupt = interrupt ?? TrainInterrupt.FromConsole;
        OpenInput = input ?? System.Console.OpenStandardInput;
        Out = output;
        Error = error;
        IsInteractive = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
        });
        if (!interactive) Console.Profile.Width = 120;
    }

    /// <summary>Opens standard input (a data argument of <c>-</c>); tests hand in their own stream.</summary>
    public Func<Stream> OpenInput { get; }

    /// <summary>Listens for Ctrl-C while training; tests hand in a manual one.</summary>
    public Func<TextWriter, TrainInterrupt> CreateInterrupt { get; }

    /// <summary>Standard output, for machine-readable results.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error, for problems and (with --json) progress.</summary>
    public TextWriter Error { get; }

    /// <summary>Tables, colors and live progress when attached to a terminal; plain text otherwise.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when standard output is a terminal (live progress bars, colors).</summary>
    public bool IsInteractive { get; }
}
