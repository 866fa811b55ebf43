using System.Diagnostics;
using System.Globalization;
using Converge.Training;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Converge.Cli.Output;

/// <summary>How training progress is shown.</summary>
public enum ProgressStyle
{
    /// <summary>Nothing (--quiet).</summary>
    None,

    /// <summary>A plain line every tenth of the epochs and at the end (not a terminal, or --json on stderr).</summary>
    Lines,

    /// <summary>A live progress bar (a terminal).</summary>
    Live,
}

/// <summary>Runs a training function while showing its per-epoch <see cref="EpochLog"/> reports.</summary>
public static class TrainingProgress
{
    /// <summary>
    /// Calls <paramref name="train"/> with a progress sink matching <paramref name="style"/>. Lines go to
    /// <paramref name="lines"/>; the live bar draws on <paramref name="console"/>.
    /// </summary>
    public static T Run<T>(ProgressStyle style, int epochs, IAnsiConsole console, TextWriter lines, Func<IProgress<EpochLog>?, T> train)
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(train);
        return style switch
        {
            ProgressStyle.Live => RunLive(epochs, console, train),
            ProgressStyle.Lines => RunLines(epochs, lines, train),
            _ => train(null),
        };
    }

    /// <summary>"epoch 12/200  train loss 0.2345  val loss 0.2567  val acc 91.2%".</summary>
    public static string Describe(EpochLog log, int epochs)
    {
        ArgumentNullException.ThrowIfNull(log);
        var width = epochs.ToString(CultureInfo.InvariantCulture).Length;
        var text = string.Create(CultureInfo.InvariantCulture,
            $"{MemberPrefix(log, "member ")}epoch {log.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{epochs}  train loss {Loss(log.TrainLoss)}");
        if (!double.IsNaN(log.ValidationLoss))
            text += string.Create(CultureInfo.InvariantCulture, $"  val loss {Loss(log.ValidationLoss)}  val acc {log.ValidationAccuracy * 100,5:F1}%");
        return text;
    }

    /// <summary>The live bar's label, short enough to leave the bar room in an 80-column terminal.</summary>
    public static string DescribeShort(EpochLog log, int epochs)
    {
        ArgumentNullException.ThrowIfNull(log);
        var width = epochs.ToString(CultureInfo.InvariantCulture).Length;
        var text = string.Create(CultureInfo.InvariantCulture, $"{MemberPrefix(log, "m")}epoch {log.Epoch.ToString(CultureInfo.InvariantCulture).PadLeft(width)}/{epochs} loss {Loss(log.TrainLoss)}");
        if (!double.IsNaN(log.ValidationLoss))
            text += string.Create(CultureInfo.InvariantCulture, $" val {Loss(log.ValidationLoss)} acc {log.ValidationAccuracy * 100:F1}%");
        return text;
    }

    // "member 2/5  " before an ensemble member's epoch, nothing for a single network.
    private static string MemberPrefix(EpochLog log, string word) =>
        log.Members > 1 ? string.Create(CultureInfo.InvariantCulture, $"{word}{log.Member}/{log.Members}{(word.Length > 1 ? "  " : " ")}") : "";

    /// <summary>The narrow-terminal label: "12/200 loss 0.2345 acc 91.2%" (at most 34 characters).</summary>
    public static string DescribeNarrow(EpochLog log, int epochs)
    {
        ArgumentNullException.ThrowIfNull(log);
        var text = string.Create(CultureInfo.InvariantCulture, $"{log.Epoch}/{epochs} loss {Loss(log.TrainLoss)}");
        if (!double.IsNaN(log.ValidationAccuracy))
            text += string.Create(CultureInfo.InvariantCulture, $" acc {log.ValidationAccuracy * 100:F1}%");
        return text;
    }

    /// <summary>Columns beside the bar: percentage (5), time left (≤ 8), spinner (2), and the gaps between columns.</summary>
    private const int FixedColumns = 5 + 8 + 2 + 4;

    /// <summary>
    /// The live view for a terminal <paramref name="width"/> columns wide: whether to use the narrow
    /// label, and the bar's width (6–24), so one line never wraps, down to 60 columns.
    /// </summary>
    public static (bool Narrow, int Label, int Bar) Layout(int width)
    {
        var narrow = width < 100;
        var label = narrow ? 34 : 56;
        var bar = Math.Clamp(width - label - FixedColumns - 1, 6, 24);
        return (narrow, label, bar);
    }

    private static string Loss(double value) =>
        double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static T RunLines<T>(int epochs, TextWriter lines, Func<IProgress<EpochLog>?, T> train)
    {
        var every = Math.Max(1, epochs / 10);
        var clock = Stopwatch.StartNew();
        EpochLog? last = null;
        var lastPrinted = 0;
        var result = train(new Sink(log =>
        {
            last = log;
            if (log.Epoch != 1 && log.Epoch % every != 0 && log.Epoch != epochs) return;
            Print(log);
        }));
        // Early stopping or divergence ends before the planned last epoch: show where it ended.
        if (last is not null && last.Epoch != lastPrinted) Print(last);
        return result;

        void Print(EpochLog log)
        {
            lines.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Describe(log, epochs)}  ({clock.Elapsed.TotalSeconds:F1} s)"));
            lines.Flush();
            lastPrinted = log.Epoch;
        }
    }

    private static T RunLive<T>(int epochs, IAnsiConsole console, Func<IProgress<EpochLog>?, T> train)
    {
        var (narrow, _, bar) = Layout(console.Profile.Width);
        var eta = new EpochEtaColumn(epochs);
        return console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn { Width = bar }, new PercentageColumn(),
                eta, new SpinnerColumn())
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: epochs);
                var result = train(new Sink(log =>
                {
                    eta.Completed(log.Epoch);
                    task.Value = log.Epoch;
                    task.Description = Markup.Escape(narrow ? DescribeNarrow(log, epochs) : DescribeShort(log, epochs));
                }));
                // Early stopping ends before the planned epochs; a full bar says "done", not "stuck".
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            });
    }

    /// <summary>
    /// Time left from the epochs after the first (which also pays for JIT compilation and warm-up,
    /// so an estimate from it alone is far off); blank until two epochs have been timed.
    /// </summary>
    private sealed class EpochEtaColumn(int epochs) : ProgressColumn
    {
        private readonly Stopwatch _clock = new();
        private int _firstTimed;
        private int _last;

        public void Completed(int epoch)
        {
            if (epoch == 1) _clock.Restart();
            if (_firstTimed == 0) _firstTimed = epoch;
            _last = epoch;
        }

        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var timed = _last - _firstTimed;
            if (timed < 2 || _last >= epochs) return new Text("");
            var left = TimeSpan.FromTicks(_clock.Elapsed.Ticks / timed * (epochs - _last));
            var text = left.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalHours}h{left.Minutes:00}m")
                : left.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)left.TotalMinutes}m{left.Seconds:00}s")
                : string.Create(CultureInfo.InvariantCulture, $"{left.Seconds}s");
            return new Text(text.PadLeft(6), new Style(Color.Blue));
        }
    }

    /// <summary>Reports synchronously on the training thread (Progress&lt;T&gt; would post to a thread pool and lag).</summary>
    private sealed class Sink(Action<EpochLog> report) : IProgress<EpochLog>
    {
        public void Report(EpochLog value) => report(value);
    }
}
