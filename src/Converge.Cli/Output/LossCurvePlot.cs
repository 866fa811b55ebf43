using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Converge.Cli.Output;

/// <summary>Draws the training and validation loss per epoch to a PNG.</summary>
public static class LossCurvePlot
{
    /// <summary>Loss ranges wider than this factor get a log-scale y axis, so the late epochs are not a flat line.</summary>
    private const double LogScaleRatio = 10;

    /// <summary>
    /// Saves the curves to <paramref name="path"/> (800×500 PNG). NaN or infinite losses (a diverged run)
    /// are left out; <paramref name="validationLoss"/> may be empty. The best epoch gets a dashed marker.
    /// </summary>
    public static void Save(string path, IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, int bestEpoch, string title)
    {
        using var image = Build(trainLoss, validationLoss, bestEpoch, title).GetImage(800, 500);
        Persistence.AtomicFile.WriteAllBytes(path, image.GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>The loss-curve plot itself, for <see cref="Save"/> and the HTML report.</summary>
    public static Plot Build(IReadOnlyList<double> trainLoss, IReadOnlyList<double> validationLoss, int bestEpoch, string title)
    {
        ArgumentNullException.ThrowIfNull(trainLoss);
        ArgumentNullException.ThrowIfNull(validationLoss);
        var (plot, y) = Axes(trainLoss.Concat(validationLoss), title);
        AddCurve(plot, trainLoss, y, "train loss", Colors.C0);
        if (validationLoss.Count > 0) AddCurve(plot, validationLoss, y, "validation loss", Colors.C1);
        if (bestEpoch >= 1)
        {
            var marker = plot.Add.VerticalLine(bestEpoch, 1, Colors.Gray, LinePattern.Dashed);
            marker.LegendText = string.Create(CultureInfo.InvariantCulture, $"best epoch ({bestEpoch})");
        }
        return plot;
    }

    /// <summary>
    /// A cross-fitted ensemble's curves on one plot: each member's validation loss (on its own fold) as a solid
    /// line in its colour with its kept epoch marked, and its training loss thin and dashed in the same colour.
    /// </summary>
    public static Plot BuildMembers(IReadOnlyList<(IReadOnlyList<double> Train, IReadOnlyList<double> Validation, int BestEpoch)> members, string title)
    {
        ArgumentNullException.ThrowIfNull(members);
        var (plot, y) = Axes(members.SelectMany(static m => m.Train.Concat(m.Validation)), title);
        var palette = new ScottPlot.Palettes.Category10();
        for (var m = 0; m < members.Count; m++)
        {
            var color = palette.GetColor(m);
            var (train, validation, best) = members[m];
            var trainLine = AddCurve(plot, train, y, m == 0 ? "train loss (dashed), each member" : null, color);
            trainLine.LineWidth = 1;
            trainLine.LinePattern = LinePattern.Dashed;
            if (validation.Count > 0) AddCurve(plot, validation, y, string.Create(CultureInfo.InvariantCulture, $"member {m + 1} validation (kept epoch {best})"), color);
            if (best >= 1 && best <= validation.Count && double.IsFinite(validation[best - 1]))
            {
                var marker = plot.Add.Marker(best, y(validation[best - 1]), MarkerShape.FilledCircle, 8, color);
                marker.LegendText = "";
            }
        }
        return plot;
    }

    // A plot titled and labelled for these losses: a log y axis (and the map onto it) when they span LogScaleRatio or more.
    private static (Plot Plot, Func<double, double> Y) Axes(IEnumerable<double> losses, string title)
    {
        var finite = losses.Where(double.IsFinite).ToList();
        var logScale = finite.Count > 0 && finite.Min() > 0 && finite.Max() / finite.Min() >= LogScaleRatio;
        var plot = new Plot();
        plot.Title(title);
        plot.XLabel("epoch");
        plot.YLabel(logScale ? "loss (log scale)" : "loss");
        if (logScale) plot.Axes.Left.TickGenerator = LogTicks(finite.Min(), finite.Max());
        plot.ShowLegend(Alignment.UpperRight);
        return (plot, logScale ? Math.Log10 : static v => v);
    }

    private static ScottPlot.Plottables.Scatter AddCurve(Plot plot, IReadOnlyList<double> loss, Func<double, double> y, string? label, Color color)
    {
        var xs = new List<double>();
        var ys = new List<double>();
        for (var i = 0; i < loss.Count; i++)
        {
            // A log axis is only chosen when every finite loss is positive, so finiteness is the only filter.
            if (!double.IsFinite(loss[i])) continue;
            xs.Add(i + 1);
            ys.Add(y(loss[i]));
        }
        var line = plot.Add.ScatterLine(xs.ToArray(), ys.ToArray(), color);
        line.LineWidth = 2;
        line.LegendText = label ?? "";
        return line;
    }

    /// <summary>Ticks at 1, 2 and 5 times each power of ten in range (labelled), with minor ticks at the other digits.</summary>
    private static NumericManual LogTicks(double min, double max)
    {
        var ticks = new NumericManual();
        for (var decade = Math.Floor(Math.Log10(min)); decade <= Math.Ceiling(Math.Log10(max)); decade++)
        {
            for (var digit = 1; digit <= 9; digit++)
            {
                var value = digit * Math.Pow(10, decade);
                if (value < min / 1.5 || value > max * 1.5) continue;
                if (digit is 1 or 2 or 5) ticks.AddMajor(Math.Log10(value), value.ToString("G3", CultureInfo.InvariantCulture));
                else ticks.AddMinor(Math.Log10(value));
            }
        }
        return ticks;
    }
}
