using System.Numerics;

namespace Converge.Data;

/// <summary>
/// Per-feature standardization z = (x − Mean) / Scale, fitted on a row-major [rows, cols] float
/// matrix, with scikit-learn's <c>StandardScaler</c> semantics: statistics in double, the biased
/// standard deviation (ddof = 0) by default, and Scale = 1 for a constant feature so that it
/// transforms to zeros instead of NaN. <c>unbiased: true</c> uses ddof = 1 instead, which is the
/// Q&amp;A's recipe <c>(x − x.mean()) / x.std()</c> in torch.
/// Unlike scikit-learn, fitting rejects NaN and infinities rather than ignoring them; the error
/// names the row and column.
/// </summary>
public sealed class StandardScaler
{
    private const double Epsilon = 2.220446049250313e-16; // float64 machine epsilon, as sklearn

    private readonly double[] _mean;
    private readonly double[] _scale;

    /// <summary>Rebuilds a fitted scaler from saved statistics (the arrays are copied).</summary>
    public StandardScaler(IReadOnlyList<double> mean, IReadOnlyList<double> scale)
    {
        ArgumentNullException.ThrowIfNull(mean);
        ArgumentNullException.ThrowIfNull(scale);
        if (mean.Count != scale.Count)
            throw new ArgumentException($"StandardScaler: Mean has {mean.Count} features but Scale has {scale.Count}.", nameof(scale));
        for (var c = 0; c < mean.Count; c++)
        {
            if (!double.IsFinite(mean[c]))
                throw new ArgumentException($"StandardScaler: Mean[{c}] must be finite, got {mean[c]}.", nameof(mean));
            if (!double.IsFinite(scale[c]) || scale[c] <= 0)
                throw new ArgumentException($"StandardScaler: Scale[{c}] must be finite and > 0, got {scale[c]}.", nameof(scale));
        }
        _mean = [.. mean];
        _scale = [.. scale];
    }

    /// <summary>Per-feature means (sklearn's <c>mean_</c>).</summary>
    public IReadOnlyList<double> Mean => _mean;

    /// <summary>Per-feature divisors (sklearn's <c>scale_</c>): the standard deviation, or 1 for a constant feature.</summary>
    public IReadOnlyList<double> Scale => _scale;

    /// <summary>The number of features it standardizes.</summary>
    public int FeatureCount => _mean.Length;

    /// <summary>Fits per-feature Mean and Scale. <paramref name="unbiased"/> = false divides the variance by n (sklearn), true by n − 1 (torch's <c>std()</c>).</summary>
    public static StandardScaler Fit(ReadOnlySpan<float> matrix, int rows, int cols, bool unbiased = false)
    {
        Check(matrix, rows, cols);
        return FromMoments(Statistics.ColumnMeans(matrix, rows, cols), Statistics.ColumnVariances(matrix, rows, cols, unbiased: false), rows, unbiased);
    }

    /// <inheritdoc cref="Fit(ReadOnlySpan{float}, int, int, bool)"/>
    public static StandardScaler Fit(ReadOnlySpan<double> matrix, int rows, int cols, bool unbiased = false)
    {
        Check(matrix, rows, cols);
        return FromMoments(Statistics.ColumnMeans(matrix, rows, cols), Statistics.ColumnVariances(matrix, rows, cols, unbiased: false), rows, unbiased);
    }

    private static void Check<T>(ReadOnlySpan<T> matrix, int rows, int cols)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Statistics.CheckShape(matrix.Length, rows, cols);
        if (rows == 0) throw new ArgumentException("StandardScaler: cannot fit on 0 rows.", nameof(rows));
        for (var i = 0; i < matrix.Length; i++)
        {
            if (!T.IsFinite(matrix[i]))
                throw new ArgumentException($"StandardScaler: value at row {i / cols}, column {i % cols} is {matrix[i]}; fit needs finite values.", nameof(matrix));
        }
    }

    private static StandardScaler FromMoments(double[] mean, double[] biasedVariance, int rows, bool unbiased)
    {
        var scale = new double[mean.Length];
        for (var c = 0; c < scale.Length; c++)
        {
            // sklearn's _is_constant_feature: a variance within rounding noise of 0 means constant.
            var bound = rows * Epsilon * biasedVariance[c] + Math.Pow(rows * mean[c] * Epsilon, 2);
            if (biasedVariance[c] <= bound)
                scale[c] = 1.0;
            else
                scale[c] = Math.Sqrt(unbiased ? biasedVariance[c] * rows / (rows - 1) : biasedVariance[c]);
        }
        return new StandardScaler(mean, scale);
    }

    /// <summary>In place: x ← (x − Mean) / Scale, evaluated in double and rounded once to float.</summary>
    public void Transform(Span<float> matrix)
    {
        var cols = CheckWidth(matrix.Length);
        for (var start = 0; start < matrix.Length; start += cols)
        {
            var row = matrix.Slice(start, cols);
            for (var c = 0; c < cols; c++) row[c] = (float)((row[c] - _mean[c]) / _scale[c]);
        }
    }

    /// <summary>In place: x ← x · Scale + Mean, evaluated in double and rounded once to float.</summary>
    public void InverseTransform(Span<float> matrix)
    {
        var cols = CheckWidth(matrix.Length);
        for (var start = 0; start < matrix.Length; start += cols)
        {
            var row = matrix.Slice(start, cols);
            for (var c = 0; c < cols; c++) row[c] = (float)(row[c] * _scale[c] + _mean[c]);
        }
    }

    private int CheckWidth(int length)
    {
        var cols = _mean.Length;
        if (cols == 0 ? length != 0 : length % cols != 0)
            throw new ArgumentException($"StandardScaler: expected a multiple of {cols} values (rows × {cols} features), got {length}.", "matrix");
        return cols;
    }
}
