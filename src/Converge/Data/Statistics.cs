namespace Converge.Data;

/// <summary>
/// Mean, variance and standard deviation accumulated in double, for float or double input.
/// <c>unbiased = true</c> (divide by n − 1) is the default, as in <c>torch.var</c>/<c>torch.std</c>;
/// scikit-learn's <c>StandardScaler</c> and <c>numpy.std</c> use <c>unbiased = false</c> (divide by n).
/// As in torch, an empty input gives NaN, and a single value gives NaN when unbiased (0 when biased).
/// </summary>
public static class Statistics
{
    public static double Mean(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty) return double.NaN;
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    public static double Mean(ReadOnlySpan<float> values)
    {
        if (values.IsEmpty) return double.NaN;
        var sum = 0.0;
        foreach (var v in values) sum += v;
        return sum / values.Length;
    }

    public static double Variance(ReadOnlySpan<double> values, bool unbiased = true)
    {
        var mean = Mean(values);
        double sumSq = 0, sum = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            sumSq += d * d;
            sum += d;
        }
        return Finish(sumSq, sum, values.Length, unbiased);
    }

    public static double Variance(ReadOnlySpan<float> values, bool unbiased = true)
    {
        var mean = Mean(values);
        double sumSq = 0, sum = 0;
        foreach (var v in values)
        {
            var d = v - mean;
            sumSq += d * d;
            sum += d;
        }
        return Finish(sumSq, sum, values.Length, unbiased);
    }

    public static double Std(ReadOnlySpan<double> values, bool unbiased = true) => Math.Sqrt(Variance(values, unbiased));

    public static double Std(ReadOnlySpan<float> values, bool unbiased = true) => Math.Sqrt(Variance(values, unbiased));

    /// <summary>Per-column means of a row-major [rows, cols] matrix.</summary>
    public static double[] ColumnMeans(ReadOnlySpan<float> matrix, int rows, int cols)
    {
        CheckShape(matrix.Length, rows, cols);
        var sums = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++) sums[c] += row[c];
        }
        for (var c = 0; c < cols; c++) sums[c] = rows == 0 ? double.NaN : sums[c] / rows;
        return sums;
    }

    /// <summary>Per-column variances of a row-major [rows, cols] matrix (two passes, see <see cref="Variance(ReadOnlySpan{double}, bool)"/>).</summary>
    public static double[] ColumnVariances(ReadOnlySpan<float> matrix, int rows, int cols, bool unbiased = true)
    {
        var means = ColumnMeans(matrix, rows, cols);
        var sumSq = new double[cols];
        var sum = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++)
            {
                var d = row[c] - means[c];
                sumSq[c] += d * d;
                sum[c] += d;
            }
        }
        var result = new double[cols];
        for (var c = 0; c < cols; c++) result[c] = Finish(sumSq[c], sum[c], rows, unbiased);
        return result;
    }

    /// <summary>Per-column standard deviations of a row-major [rows, cols] matrix.</summary>
    public static double[] ColumnStds(ReadOnlySpan<float> matrix, int rows, int cols, bool unbiased = true)
    {
        var result = ColumnVariances(matrix, rows, cols, unbiased);
        for (var c = 0; c < cols; c++) result[c] = Math.Sqrt(result[c]);
        return result;
    }

    // Two-pass variance with the compensation term Σ(x − mean)²/n subtracted, as numpy/sklearn do:
    // it cancels most of the rounding error left in the mean.
    private static double Finish(double sumSq, double sum, int n, bool unbiased)
    {
        var divisor = unbiased ? n - 1 : n;
        if (divisor <= 0) return double.NaN;
        return (sumSq - sum * sum / n) / divisor;
    }

    internal static void CheckShape(int length, int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Matrix shape must be non-negative, got [{rows}, {cols}].");
        if ((long)rows * cols != length)
            throw new ArgumentException($"Matrix shape [{rows}, {cols}] needs {(long)rows * cols} values, got {length}.", nameof(rows));
    }
}
