using Converge.Training;

namespace Converge.Diagnosis;

/// <summary>
/// Per-feature statistics from one row-major pass: count of finite values, mean and population std
/// of the finite values (shifted sums for stability), NaN/∞ count, and min/max within each class.
/// </summary>
internal sealed class FeatureStats
{
    private FeatureStats(int rows, int cols)
    {
        (Rows, Cols) = (rows, cols);
        (Finite, NonFinite, Mean, Std) = (new int[cols], new int[cols], new double[cols], new double[cols]);
        (Min0, Max0, Min1, Max1) = (Filled(double.PositiveInfinity), Filled(double.NegativeInfinity), Filled(double.PositiveInfinity), Filled(double.NegativeInfinity));
        double[] Filled(double v) => [.. Enumerable.Repeat(v, cols)];
    }

    public int Rows { get; }
    public int Cols { get; }
    public int[] Finite { get; }
    public int[] NonFinite { get; }
    public double[] Mean { get; }
    public double[] Std { get; }
    public double[] Min0 { get; }
    public double[] Max0 { get; }
    public double[] Min1 { get; }
    public double[] Max1 { get; }

    public static FeatureStats Compute(TrainingData data)
    {
        var (rows, cols, x) = (data.Rows, data.Cols, data.Features);
        var s = new FeatureStats(rows, cols);
        var shift = new double[cols];
        var (sum, sumSquares) = (new double[cols], new double[cols]);
        var shiftSet = new bool[cols];
        for (var r = 0; r < rows; r++)
        {
            var positive = data.Labels[r] == 1f;
            var (min, max) = positive ? (s.Min1, s.Max1) : (s.Min0, s.Max0);
            for (var c = 0; c < cols; c++)
            {
                double v = x[r * cols + c];
                if (!double.IsFinite(v))
                {
                    s.NonFinite[c]++;
                    continue;
                }
                if (!shiftSet[c]) (shift[c], shiftSet[c]) = (v, true);
                var d = v - shift[c];
                sum[c] += d;
                sumSquares[c] += d * d;
                s.Finite[c]++;
                if (v < min[c]) min[c] = v;
                if (v > max[c]) max[c] = v;
            }
        }
        for (var c = 0; c < cols; c++)
        {
            var n = s.Finite[c];
            if (n == 0) continue;
            var meanShifted = sum[c] / n;
            s.Mean[c] = shift[c] + meanShifted;
            s.Std[c] = Math.Sqrt(Math.Max(0, sumSquares[c] / n - meanShifted * meanShifted));
            // Rounding leaves a tiny std on a constant column; the min/max say it exactly.
            if (Math.Min(s.Min0[c], s.Min1[c]) == Math.Max(s.Max0[c], s.Max1[c])) s.Std[c] = 0;
        }
        return s;
    }

    /// <summary>True when every value of one class lies strictly below every value of the other.</summary>
    public bool Separates(int c) =>
        Finite[c] > 0 && !double.IsInfinity(Min0[c]) && !double.IsInfinity(Min1[c]) && (Max0[c] < Min1[c] || Max1[c] < Min0[c]);

    /// <summary>The midpoint of the gap between the classes on a separating feature.</summary>
    public double SeparatingThreshold(int c) => Max0[c] < Min1[c] ? (Max0[c] + Min1[c]) / 2 : (Max1[c] + Min0[c]) / 2;
}
