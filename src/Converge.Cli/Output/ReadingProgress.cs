using System.Diagnostics;
using System.Globalization;
using Converge.Data;
using Spectre.Console;

namespace Converge.Cli.Output;

/// <summary>
/// Shows how far reading a big CSV file has got, in the same styles as <see cref="TrainingProgress"/>:
/// a live bar over the file's bytes in a terminal, else a plain line every second (so a read that
/// takes under a second prints nothing). Quiet shows nothing.
/// </summary>
public static class ReadingProgress
{
    /// <summary>Files at least this big get the live bar; smaller ones read in well under a second.</summary>
    public const long LiveBarBytes = 16L << 20;

    private static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Calls <paramref name="read"/> with a progress sink for <paramref name="style"/>. <paramref name="name"/>
    /// names the data in lines; <paramref name="size"/> is its size in bytes when known (a file, not a pipe).
    /// </summary>
    public static T Run<T>(ProgressStyle style, IAnsiConsole console, TextWriter lines, string name, long? size, Func<IProgress<CsvReadProgress>?, T> read)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(read);
        return style switch
        {
            ProgressStyle.Live when size >= LiveBarBytes => RunLive(console, name, size.Value, read),
            ProgressStyle.None => read(null),
            _ => RunLines(lines, name, read),
        };
    }

    /// <summary>"reading data.csv: 1,234,567 rows, 45 of 152 MB (3.0 s)".</summary>
    public static string Describe(string name, CsvReadProgress progress, TimeSpan elapsed)
    {
        var bytes = progress.Bytes == 0 ? ""
            : progress.TotalBytes is { } total ? string.Create(CultureInfo.InvariantCulture, $", {Megabytes(progress.Bytes)} of {Megabytes(total)} MB")
            : string.Create(CultureInfo.InvariantCulture, $", {Megabytes(progress.Bytes)} MB");
        return string.Create(CultureInfo.InvariantCulture, $"reading {name}: {progress.Rows:N0} rows{bytes} ({elapsed.TotalSeconds:F1} s)");
    }

    private static long Megabytes(long bytes) => (bytes + (1 << 19)) >> 20;

    private static T RunLines<T>(TextWriter lines, string name, Func<IProgress<CsvReadProgress>?, T> read)
    {
        var clock = Stopwatch.StartNew();
        var next = Every;
        return read(new Sink(progress =>
        {
            if (clock.Elapsed < next) return;
            next = clock.Elapsed + Every;
            lines.WriteLine(Describe(name, progress, clock.Elapsed));
            lines.Flush();
        }));
    }

    private static T RunLive<T>(IAnsiConsole console, string name, long size, Func<IProgress<CsvReadProgress>?, T> read)
    {
        var clock = Stopwatch.StartNew();
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = 24 }, new PercentageColumn(), new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape($"reading {name}"), maxValue: size);
                var result = read(new Sink(progress =>
                {
                    task.Value = Math.Min(progress.Bytes, size);
                    task.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"reading {name}: {progress.Rows:N0} rows"));
                }));
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }

    /// <summary>Reports synchronously on the reading thread.</summary>
    private sealed class Sink(Action<CsvReadProgress> report) : IProgress<CsvReadProgress>
    {
        public void Report(CsvReadProgress value) => report(value);
    }
}
