namespace Converge.Evaluation;

/// <summary>
/// A reliability diagram: probabilities grouped into equal-width bins over [0, 1], each bin's mean
/// probability against its fraction of positives. Bin k holds lowerₖ &lt; p ≤ upperₖ (the first bin also
/// p = 0), edges k / bins as numpy's linspace — the binning of scikit-learn's
/// <c>calibration_curve(strategy="uniform")</c>, which returns the non-empty bins' two fractions.
/// </summary>
public sealed record CalibrationCurve
{
    /// <summary>The number of bins used when none is given (scikit-learn's and most papers' choice for ECE).</summary>
    public const int DefaultBins = 10;

    /// <summary>Every bin, empty ones included, in increasing order of probability.</summary>
    public required IReadOnlyList<CalibrationBin> Bins { get; init; }

    /// <summary>Rows binned.</summary>
    public required int Rows { get; init; }

    /// <summary>Σ (nₖ / n)·|mean pₖ − fraction positive ₖ| over the non-empty bins: the expected gap between the probability said and the rate seen.</summary>
    public required double ExpectedCalibrationError { get; init; }

    /// <summary>The largest |mean pₖ − fraction positive ₖ| over the non-empty bins.</summary>
    public required double MaximumCalibrationError { get; init; }

    /// <summary>
    /// Bins <paramref name="probabilities"/> (in [0, 1]) against 0/1 <paramref name="labels"/> into
    /// <paramref name="bins"/> equal-width bins. O(n).
    /// </summary>
    public static CalibrationCurve Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, int bins = DefaultBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 1);
        ScoredLabels.Validate(probabilities, labels, nameof(CalibrationCurve));
        var step = 1.0 / bins;
        var counts = new int[bins];
        var positives = new int[bins];
        var sums = new double[bins];
        for (var i = 0; i < probabilities.Length; i++)
        {
            double p = probabilities[i];
            var k = BinOf(p, bins, step);
            counts[k]++;
            sums[k] += p;
            if (labels[i] == 1) positives[k]++;
        }

        var result = new CalibrationBin[bins];
        double ece = 0, mce = 0;
        for (var k = 0; k < bins; k++)
        {
            var upper = k == bins - 1 ? 1.0 : (k + 1) * step;
            var meanPredicted = counts[k] == 0 ? double.NaN : sums[k] / counts[k];
            var fractionPositive = counts[k] == 0 ? double.NaN : (double)positives[k] / counts[k];
            result[k] = new CalibrationBin(k * step, upper, counts[k], positives[k], meanPredicted, fractionPositive);
            if (counts[k] == 0) continue;
            var gap = Math.Abs(meanPredicted - fractionPositive);
            ece += gap * counts[k] / probabilities.Length;
            mce = Math.Max(mce, gap);
        }
        return new CalibrationCurve { Bins = result, Rows = probabilities.Length, ExpectedCalibrationError = ece, MaximumCalibrationError = mce };
    }

    /// <summary>The number of inner edges (k·step, k = 1 … bins − 1) strictly below <paramref name="p"/>: numpy's searchsorted, side left.</summary>
    private static int BinOf(double p, int bins, double step)
    {
        var k = Math.Clamp((int)Math.Ceiling(p / step) - 1, 0, bins - 1);
        // The division may round across an edge; settle against the edges themselves.
        while (k > 0 && p <= k * step) k--;
        while (k < bins - 1 && p > (k + 1) * step) k++;
        return k;
    }
}

/// <summary>One bin of a <see cref="CalibrationCurve"/>: rows with <see cref="Lower"/> &lt; p ≤ <see cref="Upper"/>.</summary>
/// <param name="Lower">The bin's lower edge (exclusive, except 0 for the first bin).</param>
/// <param name="Upper">The bin's upper edge (inclusive).</param>
/// <param name="Count">Rows in the bin.</param>
/// <param name="Positives">Rows in the bin labelled 1.</param>
/// <param name="MeanPredicted">Mean probability of the bin's rows; NaN when it is empty.</param>
/// <param name="FractionPositive">Positives / Count; NaN when the bin is empty.</param>
public sealed record CalibrationBin(double Lower, double Upper, int Count, int Positives, double MeanPredicted, double FractionPositive);
