using System.Globalization;
using Converge.Data;
using Converge.Training;

namespace Converge;

/// <summary>One row's prediction.</summary>
/// <param name="Probability">P(positive class).</param>
/// <param name="IsPositive">True when <paramref name="Probability"/> is at or above the model's threshold.</param>
/// <param name="Label">The predicted class as written in the training file (e.g. "malignant").</param>
public readonly record struct RowPrediction(float Probability, bool IsPositive, string Label);

/// <summary>
/// Scores one row at a time from named raw values — the strings (or numbers) a CSV row would hold —
/// with the model's own preprocessing: imputation of missing values, one-hot categories,
/// standardization. Created by <see cref="BinaryClassifier.CreateRowScorer"/>; reusable and
/// allocation-free per row when values are given as strings (or the row is left unchanged), but
/// not thread-safe: use one per thread.
/// </summary>
/// <example>
/// <code>
/// var scorer = model.CreateRowScorer();
/// scorer.Set("mean_radius", "17.99").Set("worst_area", 2019);
/// RowPrediction p = scorer.Predict();    // columns not set are missing, so imputed
/// </code>
/// </example>
public sealed class RowScorer
{
    private const string SourceName = "row";
    private readonly Dictionary<string, int> _index;
    private readonly string?[] _cells;
    private readonly float[] _features;
    private readonly RowTransformer _transformer;
    private readonly Predictor _predictor;
    private readonly LabelMapping _label;
    private readonly double _threshold;

    internal RowScorer(BinaryClassifier model)
    {
        Columns = [.. model.Preprocessing.Columns.Where(static c => c.Kind != ColumnKind.Dropped).Select(static c => c.Name)];
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Columns.Count; i++) _index[Columns[i]] = i;
        _cells = new string?[Columns.Count];
        _transformer = model.Bind(Columns, SourceName);
        _features = new float[_transformer.FeatureCount];
        _predictor = model.CreatePredictor();
        _label = model.Label;
        _threshold = model.Threshold;
    }

    /// <summary>The raw columns the model reads, in training-file order (the label and dropped columns are not among them).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>
    /// Sets a column's raw value as it would appear in the CSV ("17.99", "red"); null or "" is missing.
    /// A column the model does not read is an <see cref="ArgumentException"/> naming the columns it does.
    /// </summary>
    public RowScorer Set(string column, string? value)
    {
        _cells[IndexOf(column)] = string.IsNullOrEmpty(value) ? null : value;
        return this;
    }

    /// <summary>Sets a numeric column (formatted invariantly, which allocates a short string; NaN is missing).</summary>
    public RowScorer Set(string column, double value) =>
        Set(column, double.IsNaN(value) ? null : value.ToString("R", CultureInfo.InvariantCulture));

    /// <summary>Makes every column missing again.</summary>
    public RowScorer Clear()
    {
        Array.Clear(_cells);
        return this;
    }

    /// <summary>
    /// Scores the values set so far. A value the model cannot read (text in a numeric column, a
    /// missing value when the model was trained with <see cref="MissingPolicy.Error"/>) is a
    /// <see cref="DataError"/> naming the column and value; an unseen category encodes as all zeros.
    /// </summary>
    public RowPrediction Predict()
    {
        _transformer.TransformRow(_cells, null, _features);
        var probability = _predictor.PredictProbability(_features);
        var positive = probability >= _threshold;
        return new RowPrediction(probability, positive, positive ? _label.Positive : _label.Negative);
    }

    /// <summary>Clears the row, sets every value of <paramref name="values"/>, and scores it.</summary>
    public RowPrediction Predict(IEnumerable<KeyValuePair<string, string?>> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        Clear();
        foreach (var (column, value) in values) Set(column, value);
        return Predict();
    }

    private int IndexOf(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        return _index.TryGetValue(column, out var i) ? i : throw UnknownColumn(column);
    }

    // Apart from IndexOf: the lambda's capture would allocate on every call, not just on a miss.
    private ArgumentException UnknownColumn(string column)
    {
        var near = Columns.FirstOrDefault(c => string.Equals(c, column, StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? "" : $" (did you mean {DataError.Quote(near)}? names are case-sensitive)";
        return new ArgumentException($"The model reads no column {DataError.Quote(column)}{hint}; it reads {DataError.QuoteList(Columns, 20)}.", nameof(column));
    }
}
