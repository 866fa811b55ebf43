using Converge.Classification;
using Converge.Data;
using Converge.Evaluation;

namespace Converge;

/// <summary>One batch of a <see cref="StreamScorer"/> pass; the object and its buffers are reused for the next batch.</summary>
public sealed class ScoredBatch
{
    internal ScoredBatch(List<CsvRow> rows, float[] features, int featureCount) => (_rows, _features, FeatureCount) = (rows, features, featureCount);

    private readonly List<CsvRow> _rows;
    private readonly float[] _features;

    /// <summary>The batch's rows, in file order.</summary>
    public IReadOnlyList<CsvRow> Rows => _rows;

    /// <summary>Their encoded features (before standardization), row-major: <see cref="Rows"/>.Count × <see cref="FeatureCount"/>.</summary>
    public ReadOnlySpan<float> Features => _features.AsSpan(0, _rows.Count * FeatureCount);

    /// <summary>Encoded features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>P(positive) of each row (a full batch's array is reused by the next batch: copy what you keep).</summary>
    public float[] Probabilities { get; internal set; } = [];
}

/// <summary>
/// Streams CSV rows through a model in fixed-size batches, so files larger than memory can be scored:
/// each batch is encoded with the model's <see cref="RowTransformer"/> and scored by its allocation-free
/// <see cref="Training.Predictor"/> into reused buffers. <c>converge predict</c> and <c>evaluate</c> use it.
/// </summary>
public static class StreamScorer
{
    /// <summary>Rows per forward pass: large enough to amortize the call, small enough to stay in cache-sized buffers.</summary>
    public const int BatchSize = 4096;

    /// <summary>
    /// Scores every row <paramref name="reader"/> has left. <paramref name="onBound"/> sees the bound
    /// transformer before any row is read (to check columns); <paramref name="onBatch"/> gets each batch.
    /// <paramref name="trainingRows"/>, when given, counts rows that were in the training set.
    /// Returns the notices of reading and encoding the rows.
    /// </summary>
    /// <exception cref="DataError">A cell cannot be encoded, a row's score is not a number, or there are no data rows.</exception>
    public static IReadOnlyList<DataNotice> Score(BinaryClassifier model, CsvRowReader reader, Action<RowTransformer>? onBound,
        Action<ScoredBatch> onBatch, TrainingRowSketch.Matcher? trainingRows = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(onBatch);
        var transformer = model.Bind(reader.ColumnNames, reader.SourceName);
        onBound?.Invoke(transformer);
        var features = transformer.FeatureCount;
        var rows = new List<CsvRow>(BatchSize);
        var encodedBuffer = new float[BatchSize * features];
        var batch = new ScoredBatch(rows, encodedBuffer, features);
        var predictor = model.CreatePredictor();
        var output = new float[BatchSize];
        var total = 0;
        while (reader.TryReadRow(out var row))
        {
            var encoded = encodedBuffer.AsSpan(rows.Count * features, features);
            transformer.TransformRow(row, encoded);
            trainingRows?.Add(encoded);
            rows.Add(row);
            if (rows.Count == BatchSize) Flush();
        }
        if (rows.Count > 0) Flush();
        if (total == 0) throw new DataError(reader.SourceName, reader.HeaderLine, null, null, "has a header but no data rows.");
        return [.. reader.Notices, .. transformer.Notices()];

        void Flush()
        {
            // Full batches reuse one output array (each callback consumes it before the next batch);
            // only a final partial batch gets an array of its own length.
            var probabilities = rows.Count == BatchSize ? output : new float[rows.Count];
            predictor.PredictProbabilities(batch.Features, probabilities);
            ScoreChecks.EnsureFinite(probabilities, reader.SourceName, i => rows[i].LineNumber);
            batch.Probabilities = probabilities;
            onBatch(batch);
            total += rows.Count;
            rows.Clear();
        }
    }
}
