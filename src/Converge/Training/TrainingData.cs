namespace Converge.Training;

/// <summary>A feature matrix (row-major, float32) and its 0/1 labels.</summary>
/// <param name="Features">Rows × Cols values, row after row.</param>
/// <param name="Labels">One 0 or 1 per row.</param>
/// <param name="Rows">Number of rows.</param>
/// <param name="Cols">Number of features per row.</param>
public sealed record TrainingData(float[] Features, float[] Labels, int Rows, int Cols)
{
    /// <summary>Checks that the arrays match the dimensions and the labels are 0 or 1.</summary>
    public void Validate(string name)
    {
        if (Rows <= 0) throw new ArgumentException($"{name}: no rows.");
        if (Cols <= 0) throw new ArgumentException($"{name}: no feature columns.");
        if (Features.Length != Rows * Cols) throw new ArgumentException($"{name}: {Features.Length} feature values do not fill {Rows} rows × {Cols} columns.");
        if (Labels.Length != Rows) throw new ArgumentException($"{name}: {Labels.Length} labels for {Rows} rows.");
        for (var i = 0; i < Labels.Length; i++)
            if (Labels[i] is not (0f or 1f)) throw new ArgumentException($"{name}: label {Labels[i]} at row {i} is not 0 or 1.");
    }

    /// <summary>The rows at the given indices, in that order.</summary>
    public TrainingData Select(IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var features = new float[rows.Count * Cols];
        var labels = new float[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            Array.Copy(Features, rows[i] * Cols, features, i * Cols, Cols);
            labels[i] = Labels[rows[i]];
        }
        return new TrainingData(features, labels, rows.Count, Cols);
    }

    /// <summary>Fraction of rows labelled 1.</summary>
    public double PositiveRate => Labels.Length == 0 ? double.NaN : Labels.Count(static l => l == 1f) / (double)Labels.Length;
}
