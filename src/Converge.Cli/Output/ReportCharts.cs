using System.Globalization;
using Converge.Evaluation;
using ScottPlot;

namespace Converge.Cli.Output;

/// <summary>The charts of the HTML report, drawn with ScottPlot and returned as inline SVG elements.</summary>
public static class ReportCharts
{
    private const int Width = 560;
    private const int Height = 380;

    /// <summary>Training and validation loss per epoch (log scale when the range is wide), best epoch marked.</summary>
    public static string Loss(IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, int bestEpoch) =>
        Svg(LossCurvePlot.Build(trainLoss, validationLoss, bestEpoch, "Loss per epoch"), Width, Height);

    /// <summary>Every member's training and validation loss (a cross-fitted ensemble), see <see cref="LossCurvePlot.BuildMembers"/>.</summary>
    public static string MemberLoss(IReadOnlyList<(IReadOnlyList<double> Train, IReadOnlyList<double> Validation, int BestEpoch)> members) =>
        Svg(LossCurvePlot.BuildMembers(members, "Loss per epoch, every member"), Width, Height);

    /// <summary>The ROC curve with its AUC, against the chance diagonal.</summary>
    public static string Roc(ThresholdCurve curve, double auc)
    {
        var plot = new Plot();
        Diagonal(plot);
        var points = curve.Roc();
        Line(plot, [.. points.Select(static p => p.Fpr)], [.. points.Select(static p => p.Tpr)], Colors.C0, $"ROC (AUC {F(auc)})");
        Unit(plot, "ROC curve", "false positive rate", "true positive rate", Alignment.LowerRight);
        return Svg(plot, Width, Height);
    }

    /// <summary>The precision–recall curve with its average precision, and the positive rate as the no-skill line.</summary>
    public static string PrecisionRecall(ThresholdCurve curve, double averagePrecision)
    {
        var plot = new Plot();
        var baseRate = (double)curve.Positives / (curve.Positives + curve.Negatives);
        var chance = plot.Add.HorizontalLine(baseRate, 1, Colors.Gray, LinePattern.Dashed);
        chance.LegendText = $"no skill ({F(baseRate)})";
        var points = curve.PrecisionRecall();
        var line = plot.Add.ScatterLine(points.Select(static p => p.Recall).ToArray(), points.Select(static p => p.Precision).ToArray(), Colors.C1);
        line.ConnectStyle = ConnectStyle.StepVertical;
        line.LineWidth = 2;
        line.LegendText = $"precision–recall (AP {F(averagePrecision)})";
        Unit(plot, "Precision–recall curve", "recall", "precision", Alignment.LowerLeft);
        return Svg(plot, Width, Height);
    }

    /// <summary>The reliability diagram: each non-empty bin's mean probability against its fraction of positives.</summary>
    public static string Calibration(CalibrationCurve curve, double brier)
    {
        var plot = new Plot();
        Diagonal(plot);
        var bins = curve.Bins.Where(static b => b.Count > 0).ToArray();
        var scatter = plot.Add.Scatter(bins.Select(static b => b.MeanPredicted).ToArray(), bins.Select(static b => b.FractionPositive).ToArray(), Colors.C2);
        scatter.LineWidth = 2;
        scatter.MarkerSize = 8;
        scatter.LegendText = $"model (ECE {F(curve.ExpectedCalibrationError)}, Brier {F(brier)})";
        Unit(plot, "Calibration (reliability)", "mean predicted probability", "fraction of positives", Alignment.UpperLeft);
        return Svg(plot, Width, Height);
    }

    /// <summary>How many rows of each class fall in each probability bin.</summary>
    public static string Histogram(CalibrationCurve curve)
    {
        var plot = new Plot();
        var bars = new List<Bar>();
        var width = curve.Bins[0].Upper - curve.Bins[0].Lower;
        foreach (var b in curve.Bins)
        {
            var center = (b.Lower + b.Upper) / 2;
            bars.Add(new Bar { Position = center - (width / 4), Value = b.Count - b.Positives, Size = width / 2.2, FillColor = Colors.C0 });
            bars.Add(new Bar { Position = center + (width / 4), Value = b.Positives, Size = width / 2.2, FillColor = Colors.C1 });
        }
        plot.Add.Bars(bars);
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "negatives", FillColor = Colors.C0 });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "positives", FillColor = Colors.C1 });
        plot.ShowLegend(Alignment.UpperCenter);
        plot.Title("Predicted probabilities by class");
        plot.XLabel("predicted probability");
        plot.YLabel("rows");
        plot.Axes.SetLimitsX(0, 1);
        plot.Axes.Margins(bottom: 0);
        return Svg(plot, Width, Height);
    }

    /// <summary>Precision, recall and F1 at every threshold, the chosen threshold marked.</summary>
    public static string MetricsByThreshold(ThresholdCurve curve, double threshold)
    {
        var plot = new Plot();
        var points = curve.Points.Reverse().ToArray();
        double[] xs = [.. points.Select(static p => p.Threshold)];
        Line(plot, xs, [.. points.Select(static p => p.Precision)], Colors.C0, "precision");
        Line(plot, xs, [.. points.Select(static p => p.Recall)], Colors.C1, "recall");
        Line(plot, xs, [.. points.Select(static p => p.F1)], Colors.C2, "F1");
        Line(plot, xs, [.. points.Select(static p => p.Accuracy)], Colors.C3, "accuracy");
        var marker = plot.Add.VerticalLine(threshold, 1, Colors.Gray, LinePattern.Dashed);
        marker.LegendText = $"threshold {F(threshold)}";
        Unit(plot, "Metrics by threshold", "threshold (p ≥ threshold is positive)", "value", Alignment.LowerLeft);
        return Svg(plot, Width, Height);
    }

    /// <summary>Permutation importance as horizontal bars, most important on top, ± one standard deviation.</summary>
    public static string Importance(IReadOnlyList<FeatureImportance> importance, string scoreName)
    {
        ArgumentNullException.ThrowIfNull(importance);
        var plot = new Plot();
        var shown = importance.Take(20).Reverse().ToArray();
        var bars = shown.Select(static (f, i) => new Bar { Position = i, Value = f.Mean, Error = f.StandardDeviation, FillColor = Colors.C0 }).ToList();
        var series = plot.Add.Bars(bars);
        series.Horizontal = true;
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. shown.Select(static (_, i) => (double)i)], [.. shown.Select(static f => f.Name.Length > 24 ? f.Name[..23] + "…" : f.Name)]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Title("Permutation importance (validation rows)");
        plot.XLabel($"drop in {scoreName} when shuffled (mean ± sd)");
        var height = Math.Max(Height, 60 + (shown.Length * 26));
        return Svg(plot, Width, height);
    }

    private static void Diagonal(Plot plot)
    {
        var line = plot.Add.Line(0, 0, 1, 1);
        line.LinePattern = LinePattern.Dashed;
        line.LineColor = Colors.Gray;
        line.LegendText = "chance / perfect calibration";
    }

    private static void Line(Plot plot, double[] xs, double[] ys, Color color, string label)
    {
        var line = plot.Add.ScatterLine(xs, ys, color);
        line.LineWidth = 2;
        line.LegendText = label;
    }

    private static void Unit(Plot plot, string title, string x, string y, Alignment legend)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        plot.Axes.SetLimits(-0.02, 1.02, -0.02, 1.02);
        plot.ShowLegend(legend);
    }

    private static string Svg(Plot plot, int width, int height)
    {
        // The SVG names the font the text was measured with; a sans face matches the page.
        plot.Font.Set("DejaVu Sans");
        return plot.GetSvgHtml(width, height);
    }

    private static string F(double v) => double.IsFinite(v) ? v.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
