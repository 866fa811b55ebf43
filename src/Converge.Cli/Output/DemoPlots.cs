using System.Globalization;
using Converge.Data;
using Converge.Cli.Demo;
using Converge.Tensors;
using ScottPlot;

namespace Converge.Cli.Output;

/// <summary>The demo's figures: all loss curves, the circles' decision boundary, the heart-rate series with predictions.</summary>
public static class DemoPlots
{
    private const int Height = 600;

    // One color per scenario, in order (Tableau 10), so a scenario keeps its color across figures.
    private static readonly Color[] Palette =
        [Color.FromHex("#4E79A7"), Color.FromHex("#E15759"), Color.FromHex("#59A14F"), Color.FromHex("#F28E2B"), Color.FromHex("#B07AA1"), Color.FromHex("#9C755F")];

    private static readonly Color Negative = Color.FromHex("#2166AC");
    private static readonly Color Positive = Color.FromHex("#D6604D");

    // Points over the dark ends of the probability map: light fills with a dark outline stay visible on both.
    private static readonly Color OuterPoint = Color.FromHex("#8FD3FF");
    private static readonly Color InnerPoint = Color.FromHex("#FFD92F");

    /// <summary>Writes every figure the result has data for into <paramref name="folder"/>; returns the paths.</summary>
    public static IReadOnlyList<string> WriteAll(DemoResult result, string folder)
    {
        ArgumentNullException.ThrowIfNull(result);
        var paths = new List<string> { Save(LossCurves(result), Path.Combine(folder, "loss-curves.png"), 1300, Height) };
        if (result.Find(DemoScenarios.CirclesRaw.Number) is { } circles)
            paths.Add(Save(CirclesBoundary(circles), Path.Combine(folder, "circles-boundary.png"), 900, 760));
        if (result.Find(DemoScenarios.HeartRateStandardized.Number) is { } heartRate)
            paths.Add(Save(HeartRateSeries(heartRate), Path.Combine(folder, "heart-rate.png"), 1200, Height));
        return paths;
    }

    /// <summary>Training loss against epoch on a log scale, one line per scenario.</summary>
    public static Plot LossCurves(DemoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var plot = new Plot();
        foreach (var s in result.Scenarios)
        {
            var epochs = Enumerable.Range(0, s.Losses.Length).Select(static e => (double)e).ToArray();
            // Log scale by plotting log10(loss); the tick labels below undo it.
            var logLoss = s.Losses.Select(static l => Math.Log10(Math.Max(l, 1e-12))).ToArray();
            var line = plot.Add.ScatterLine(epochs, logLoss, Palette[(s.Scenario.Number - 1) % Palette.Length]);
            line.LineWidth = 2;
            // 5 (logits) retraces 3 (sigmoid + BCE) almost exactly: dashed and wider-spaced so both stay visible.
            if (s.Scenario.Logits) line.LinePattern = LinePattern.Dashed;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"{s.Scenario.Number}. {s.Scenario.Name} (lr {s.Scenario.LearningRate:G3}{(s.Scenario.StepSize is null ? "" : ", StepLr")}): {s.FinalLoss:F4}");
        }
        var target = plot.Add.HorizontalLine(Math.Log10(DemoScenarios.ConvergedLoss), 1, Colors.Gray, LinePattern.Dashed);
        target.LegendText = string.Create(CultureInfo.InvariantCulture, $"loss {DemoScenarios.ConvergedLoss} (converged)");
        var logs = result.Scenarios.SelectMany(static s => s.Losses).Where(static l => l > 0).Select(static l => Math.Log10(l)).ToList();
        plot.Axes.Left.TickGenerator = LogTicks(Math.Min(logs.Min(), -1.05), logs.Max());
        plot.Grid.MinorLineWidth = 1;
        plot.Grid.MinorLineColor = Colors.Black.WithAlpha(0.05);
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Training loss, full-batch Adam (seed {result.Seed})"));
        plot.XLabel("epoch");
        plot.YLabel("BCE loss (log scale)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    // Labelled ticks at 1, 2 and 5 × 10^k and unlabelled minor ticks at the other integers, in log10 units.
    private static ScottPlot.TickGenerators.NumericManual LogTicks(double low, double high)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
            for (var m = 1; m <= 9; m++)
            {
                var value = m * Math.Pow(10, decade);
                var position = Math.Log10(value);
                if (position < low - 0.05 || position > high + 0.05) continue;
                if (m is 1 or 2 or 5) ticks.AddMajor(position, value.ToString("G4", CultureInfo.InvariantCulture));
                else ticks.AddMinor(position);
            }
        return ticks;
    }

    /// <summary>The trained circles model's p(inner circle) over a grid, with the data points by class.</summary>
    public static Plot CirclesBoundary(ScenarioResult circles)
    {
        ArgumentNullException.ThrowIfNull(circles);
        const int Cells = 200;
        var (xs, ys) = (Column(circles, 0), Column(circles, 1));
        var half = Math.Max(Math.Max(-xs.Min(), xs.Max()), Math.Max(-ys.Min(), ys.Max())) + 0.15;
        var (xMin, xMax, yMin, yMax) = (-half, half, -half, half);
        var grid = new float[Cells * Cells * 2];
        for (var row = 0; row < Cells; row++)
            for (var col = 0; col < Cells; col++)
            {
                // Heatmap row 0 is drawn at the top: it holds the largest y.
                var i = row * Cells + col;
                grid[2 * i] = (float)(xMin + (col + 0.5) * (xMax - xMin) / Cells);
                grid[2 * i + 1] = (float)(yMax - (row + 0.5) * (yMax - yMin) / Cells);
            }
        var p = DemoRunner.Predict(circles.Model, new Tensor(grid, Cells * Cells, 2), circles.Scenario.Logits);
        var intensities = new double[Cells, Cells];
        for (var row = 0; row < Cells; row++)
            for (var col = 0; col < Cells; col++) intensities[row, col] = p[row * Cells + col];

        var plot = new Plot();
        var heatmap = plot.Add.Heatmap(intensities);
        heatmap.Extent = new CoordinateRect(xMin, xMax, yMin, yMax);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(0, 1);
        plot.Add.ColorBar(heatmap).Label = "p(inner circle)";
        AddPoints(plot, circles, xs, ys, label: 0, OuterPoint, "outer circle (label 0)");
        AddPoints(plot, circles, xs, ys, label: 1, InnerPoint, "inner circle (label 1)");
        plot.Axes.SetLimits(xMin, xMax, yMin, yMax);
        plot.Axes.SquareUnits();
        plot.Title(string.Create(CultureInfo.InvariantCulture, $"make_circles(500, noise 0.1, factor 0.2): decision boundary after {circles.Scenario.Epochs:N0} epochs, loss {circles.FinalLoss:F4}, accuracy {circles.Accuracy:P1}"), 14);
        plot.XLabel("x1");
        plot.YLabel("x2");
        plot.ShowLegend(Alignment.UpperRight);
        return plot;
    }

    /// <summary>The heart-rate series over time with the 91 bpm rule and the trained model's predicted class and probability.</summary>
    public static Plot HeartRateSeries(ScenarioResult heartRate)
    {
        ArgumentNullException.ThrowIfNull(heartRate);
        var bpm = BuiltInData.HeartRate();
        var time = Enumerable.Range(0, bpm.Length).Select(static i => 0.5 * i).ToArray();
        var plot = new Plot();
        var series = plot.Add.ScatterLine(time, bpm, Colors.Gray.WithAlpha(0.6));
        series.LegendText = "hr.11839 (bpm)";
        foreach (var (predicted, color, text) in new[] { (1, Positive, "predicted > 91"), (0, Negative, "predicted ≤ 91") })
        {
            var rows = Enumerable.Range(0, bpm.Length).Where(i => (heartRate.Probabilities[i] >= 0.5f ? 1 : 0) == predicted).ToArray();
            var markers = plot.Add.Markers(rows.Select(i => time[i]).ToArray(), rows.Select(i => bpm[i]).ToArray(), MarkerShape.FilledCircle, 4, color);
            markers.LegendText = text;
        }
        var wrong = Enumerable.Range(0, bpm.Length).Where(i => (heartRate.Probabilities[i] >= 0.5f ? 1f : 0f) != heartRate.Labels[i]).ToArray();
        var misses = plot.Add.Markers(wrong.Select(i => time[i]).ToArray(), wrong.Select(i => bpm[i]).ToArray(), MarkerShape.Eks, 12, Colors.Black);
        misses.LegendText = string.Create(CultureInfo.InvariantCulture, $"misclassified ({wrong.Length})");
        var rule = plot.Add.HorizontalLine(BuiltInData.HeartRateThreshold, 1.5f, Colors.Black, LinePattern.Dashed);
        rule.LegendText = "91 bpm (label rule)";

        var probability = plot.Add.ScatterLine(time, heartRate.Probabilities.Select(static v => (double)v).ToArray(), Color.FromHex("#59A14F").WithAlpha(0.8));
        probability.Axes.YAxis = plot.Axes.Right;
        probability.LegendText = "p(bpm > 91) (right axis)";
        plot.Axes.Right.Label.Text = "predicted probability";
        // The probability trace sits in the bottom third, under the series: the left axis starts lower, the right ends higher.
        var (low, high) = (bpm.Min(), bpm.Max());
        plot.Axes.SetLimitsY(low - 0.65 * (high - low), high + 0.05 * (high - low), plot.Axes.Left);
        plot.Axes.SetLimitsY(-0.05, 2.9, plot.Axes.Right);
        plot.Axes.Right.TickGenerator = new ScottPlot.TickGenerators.NumericManual([0, 0.5, 1], ["0", "0.5", "1"]);

        plot.Title(string.Create(CultureInfo.InvariantCulture, $"Heart rate: scenario {heartRate.Scenario.Number} ({heartRate.Scenario.Name}) after {heartRate.Scenario.Epochs:N0} epochs, accuracy {heartRate.Accuracy:P1}"));
        plot.XLabel("time (s)");
        plot.YLabel("heart rate (bpm)");
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static void AddPoints(Plot plot, ScenarioResult circles, double[] xs, double[] ys, int label, Color color, string text)
    {
        var rows = Enumerable.Range(0, circles.Rows).Where(i => (int)circles.Labels[i] == label).ToArray();
        var markers = plot.Add.Markers(rows.Select(i => xs[i]).ToArray(), rows.Select(i => ys[i]).ToArray(), MarkerShape.FilledCircle, 7, color);
        markers.MarkerLineColor = Colors.Black;
        markers.MarkerLineWidth = 1;
        markers.LegendText = text;
    }

    private static double[] Column(ScenarioResult s, int column) =>
        [.. Enumerable.Range(0, s.Rows).Select(i => (double)s.Inputs[i * s.Cols + column])];

    private static string Save(Plot plot, string path, int width, int height)
    {
        using var image = plot.GetImage(width, height);
        Persistence.AtomicFile.WriteAllBytes(path, image.GetImageBytes(ImageFormat.Png, 100));
        return path;
    }
}
