using System.Globalization;
using Converge.Data;
using Converge.Evaluation;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Converge.Cli.Output;

/// <summary>The human-readable pieces shared by train, evaluate and inspect.</summary>
public static class ReportRenderer
{
    /// <summary>A probability or ratio with four decimals; "n/a" when undefined (a ranking metric with one class).</summary>
    public static string Number(double value) =>
        double.IsFinite(value) ? value.ToString("F4", CultureInfo.InvariantCulture) : "n/a";

    /// <summary>A duration: "850 ms", "12.3 s", "4 min 05 s".</summary>
    public static string Duration(double seconds) => seconds switch
    {
        < 1 => string.Create(CultureInfo.InvariantCulture, $"{seconds * 1000:F0} ms"),
        < 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds:F1} s"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{Math.Floor(seconds / 60):F0} min {seconds % 60:00} s"),
    };

    /// <summary>"positive class = 'malignant' (1), negative = 'benign' (0)".</summary>
    public static string LabelMapping(LabelMapping label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return $"positive class = {DataError.Quote(label.Positive)} (1), negative = {DataError.Quote(label.Negative)} (0)";
    }

    /// <summary>A section heading.</summary>
    public static void Heading(IAnsiConsole console, string text)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.WriteLine();
        console.MarkupLine($"[bold underline]{Markup.Escape(text)}[/]");
    }

    /// <summary>A "name: value" line with the name dimmed.</summary>
    public static void Field(IAnsiConsole console, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.MarkupLine($"  [grey]{Markup.Escape(name + ":")}[/] {Markup.Escape(value)}");
    }

    /// <summary>What the defaults decided (columns, scaling, optimizer, members, epochs), one bullet each; nothing for an older model file without them.</summary>
    public static void Decisions(IAnsiConsole console, IReadOnlyList<string>? decisions)
    {
        ArgumentNullException.ThrowIfNull(console);
        if (decisions is not { Count: > 0 }) return;
        console.MarkupLine("  [grey]decided:[/]");
        foreach (var decision in decisions) console.MarkupLine($"  [grey]•[/] {Markup.Escape(decision)}");
    }

    /// <summary>What preprocessing decided (dropped columns, imputed values, encodings), one bullet each.</summary>
    public static void Notices(IAnsiConsole console, IReadOnlyList<DataNotice> notices, string heading = "Preprocessing")
    {
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(notices);
        if (notices.Count == 0) return;
        Heading(console, heading);
        foreach (var notice in notices) console.MarkupLine($"  [yellow]•[/] {Markup.Escape(notice.Message)}");
    }

    /// <summary>The metrics table and the confusion matrix side by side.</summary>
    public static void Metrics(IAnsiConsole console, BinaryMetrics metrics, LabelMapping label)
    {
        ArgumentNullException.ThrowIfNull(console);
        console.Write(new Columns(MetricsTable(metrics), ConfusionTable(metrics, label)) { Expand = false });
    }

    /// <summary>Accuracy … log loss, one row each.</summary>
    public static Table MetricsTable(BinaryMetrics m)
    {
        ArgumentNullException.ThrowIfNull(m);
        var table = new Table { Border = TableBorder.Rounded }.AddColumn("metric").AddColumn(new TableColumn("value").RightAligned());
        (string Name, double Value)[] rows =
        [
            ("accuracy", m.Accuracy), ("precision", m.Precision), ("recall", m.Recall), ("F1", m.F1),
            ("ROC AUC", m.RocAuc), ("PR AUC", m.PrAuc), ("log loss", m.LogLoss),
        ];
        foreach (var (name, value) in rows) table.AddRow(name, Number(value));
        return table;
    }

    /// <summary>Actual classes down, predicted classes across, named by their label values.</summary>
    public static Table ConfusionTable(BinaryMetrics m, LabelMapping label)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(label);
        var c = m.ConfusionMatrix;
        var table = new Table { Border = TableBorder.Rounded }
            .AddColumn(string.Create(CultureInfo.InvariantCulture, $"threshold {m.Threshold:0.####}"))
            .AddColumn(new TableColumn(Markup.Escape($"predicted {label.Negative}")).RightAligned())
            .AddColumn(new TableColumn(Markup.Escape($"predicted {label.Positive}")).RightAligned());
        table.AddRow(Cells($"actual {label.Negative}", c.TrueNegatives, c.FalsePositives));
        table.AddRow(Cells($"actual {label.Positive}", c.FalseNegatives, c.TruePositives));
        return table;
    }

    private static IRenderable[] Cells(string name, int negative, int positive) =>
    [
        new Text(name),
        new Text(negative.ToString(CultureInfo.InvariantCulture)),
        new Text(positive.ToString(CultureInfo.InvariantCulture)),
    ];
}
