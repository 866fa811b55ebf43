using System.Numerics;

namespace Converge.Data;

/// <summary>
/// Mean, variance and standard deviation accumulated in double, for float or double input.
/// <c>unbiased = true</c> (divide by n − 1) is the default, as in <c>torch.var</c>/<c>torch.std</c>;
/// scikit-learn's <c>StandardScaler</c> and <c>numpy.std</c> use <c>unbiased = false</c> (divide by n).
/// As in torch, an empty input gives NaN, and a single value gives NaN when unbiased (0 when biased).
/// Matrices are row-major [rows, cols]; the Column* methods reduce over rows.
/// </summary>
public static class Statistics
{
    /// <summary>The mean of <paramref name="values"/>, accumulated in double.</summary>
    public static double Mean(ReadOnlySpan<double> values) => ColumnMeans(values, values.Length, 1)[0];

    /// <summary>The mean of <paramref name="values"/>, accumulated in double.</summary>
    public static double Mean(ReadOnlySpan<float> values) => ColumnMeans(values, values.Length, 1)[0];

    /// <summary>The variance: unbiased (n − 1, torch.var's default) or biased (n).</summary>
    public static double Variance(ReadOnlySpan<double> values, bool unbiased = true) => ColumnVariances(values, values.Length, 1, unbiased)[0];

    /// <summary>The variance: unbiased (n − 1, torch.var's default) or biased (n).</summary>
    public static double Variance(ReadOnlySpan<float> values, bool unbiased = true) => ColumnVariances(values, values.Length, 1, unbiased)[0];

    /// <summary>The standard deviation: unbiased (torch.std's default) or biased.</summary>
    public static double Std(ReadOnlySpan<double> values, bool unbiased = true) => Math.Sqrt(Variance(values, unbiased));

    /// <summary>The standard deviation: unbiased (torch.std's default) or biased.</summary>
    public static double Std(ReadOnlySpan<float> values, bool unbiased = true) => Math.Sqrt(Variance(values, unbiased));

    /// <summary>The mean of each column of a row-major matrix.</summary>
    public static double[] ColumnMeans(ReadOnlySpan<float> matrix, int rows, int cols) => Means(matrix, rows, cols);

    /// <summary>The mean of each column of a row-major matrix.</summary>
    public static double[] ColumnMeans(ReadOnlySpan<double> matrix, int rows, int cols) => Means(matrix, rows, cols);

    /// <summary>The variance of each column of a row-major matrix.</summary>
    public static double[] ColumnVariances(ReadOnlySpan<float> matrix, int rows, int cols, bool unbiased = true) =>
        Variances(matrix, rows, cols, unbiased);

    /// <summary>The variance of each column of a row-major matrix.</summary>
    public static double[] ColumnVariances(ReadOnlySpan<double> matrix, int rows, int cols, bool unbiased = true) =>
        Variances(matrix, rows, cols, unbiased);

    /// <summary>The standard deviation of each column of a row-major matrix.</summary>
    public static double[] ColumnStds(ReadOnlySpan<float> matrix, int rows, int cols, bool unbiased = true) =>
        SquareRoots(Variances(matrix, rows, cols, unbiased));

    /// <summary>The standard deviation of each column of a row-major matrix.</summary>
    public static double[] ColumnStds(ReadOnlySpan<double> matrix, int rows, int cols, bool unbiased = true) =>
        SquareRoots(Variances(matrix, rows, cols, unbiased));

    private static double[] Means<T>(ReadOnlySpan<T> matrix, int rows, int cols)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShape(matrix.Length, rows, cols);
        var sums = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++) sums[c] += double.CreateTruncating(row[c]);
        }
        for (var c = 0; c < cols; c++) sums[c] = rows == 0 ? double.NaN : sums[c] / rows;
        return sums;
    }

    // Two passes, then the compensation (Σ(x − mean))²/n is subtracted, as numpy/sklearn do:
    // it removes most of the rounding error left in the mean.
    private static double[] Variances<T>(ReadOnlySpan<T> matrix, int rows, int cols, bool unbiased)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var means = Means(matrix, rows, cols);
        var sumSq = new double[cols];
        var sum = new double[cols];
        for (var r = 0; r < rows; r++)
        {
            var row = matrix.Slice(r * cols, cols);
            for (var c = 0; c < cols; c++)
            {
                var d = double.CreateTruncating(row[c]) - means[c];
                sumSq[c] += d * d;
                sum[c] += d;
            }
        }
        var divisor = unbiased ? rows - 1 : rows;
        var result = new double[cols];
        for (var c = 0; c < cols; c++)
            result[c] = divisor <= 0 ? double.NaN : (sumSq[c] - sum[c] * sum[c] / rows) / divisor;
        return result;
    }

    private static double[] SquareRoots(double[] values)
    {
        for (var i = 0; i < values.Length; i++) values[i] = Math.Sqrt(values[i]);
        return values;
    }

    internal static void CheckShape(int length, int rows, int cols)
    {
        if (rows < 0 || cols < 0)
            throw new ArgumentOutOfRangeException(nameof(rows), $"Matrix shape must be non-negative, got [{rows}, {cols}].");
        if ((long)rows * cols != length)
            throw new ArgumentException($"Matrix shape [{rows}, {cols}] needs {(long)rows * cols} values, got {length}.", nameof(rows));
    }
}
