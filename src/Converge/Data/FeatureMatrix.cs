namespace Converge.Data;

/// <summary>Features ready for a model: a row-major <see cref="Rows"/>×<see cref="Cols"/> matrix and, when known, labels.</summary>
public sealed class FeatureMatrix
{
    /// <summary>Encoded features (row-major, <paramref name="rows"/> × <paramref name="cols"/>), their names, and the 0/1 labels when the table had the label column.</summary>
    public FeatureMatrix(float[] data, int rows, int cols, IReadOnlyList<string> featureNames, float[]? labels)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(featureNames);
        if (rows < 0 || cols < 0 || data.Length != (long)rows * cols)
            throw new ArgumentException($"FeatureMatrix: data has {data.Length} values, expected {rows}×{cols}.", nameof(data));
        if (featureNames.Count != cols)
            throw new ArgumentException($"FeatureMatrix: {featureNames.Count} feature names for {cols} columns.", nameof(featureNames));
        if (labels is not null && labels.Length != rows)
            throw new ArgumentException($"FeatureMatrix: {labels.Length} labels for {rows} rows.", nameof(labels));
        Data = data;
        Rows = rows;
        Cols = cols;
        FeatureNames = featureNames;
        Labels = labels;
    }

    /// <summary>Row-major values, row i at [i·Cols, (i+1)·Cols).</summary>
    public float[] Data { get; }

    /// <summary>The number of rows.</summary>
    public int Rows { get; }

    /// <summary>The number of encoded features per row.</summary>
    public int Cols { get; }

    /// <summary>One name per column.</summary>
    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>0/1 labels per row, or null when the data had no label column.</summary>
    public float[]? Labels { get; }

    /// <summary>The features of one row.</summary>
    public ReadOnlySpan<float> Row(int index) => Data.AsSpan(index * Cols, Cols);
}
