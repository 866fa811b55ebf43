using Converge.Data;

namespace Converge.Cli.Commands;

/// <summary>
/// Streams a CSV through a model in fixed-size batches, so files larger than memory can be scored:
/// each batch of rows is encoded with a <see cref="RowTransformer"/> and scored by the model's
/// allocation-free <see cref="Training.Predictor"/> into a reused buffer.
/// </summary>
public static class StreamScorer
{
    /// <summary>Rows per forward pass: large enough to amortize the call, small enough to stay in cache-sized buffers.</summary>
    public const int BatchSize = 4096;

    /// <summary>
    /// Scores every row of <paramref name="path"/>. <paramref name="onOpen"/> sees the header and bound
    /// transformer before any row is read (to check columns); <paramref name="onBatch"/> gets each batch's
    /// rows (in file order) and their probabilities. Returns the notices of reading and encoding the rows.
    /// A path of <c>-</c> reads standard input.
    /// </summary>
    public static IReadOnlyList<DataNotice> Score(CliContext context, BinaryClassifier model, string path, CsvOptions options,
        Action<CsvRowReader, RowTransformer> onOpen, Action<IReadOnlyList<CsvRow>, float[]> onBatch)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(onOpen);
        ArgumentNullException.ThrowIfNull(onBatch);
        using var reader = CsvInput.Open(context, path, options);
        var transformer = model.Bind(reader.ColumnNames, reader.SourceName);
        onOpen(reader, transformer);
        var features = transformer.FeatureCount;
        var buffer = new float[BatchSize * features];
        var predictor = model.CreatePredictor();
        var output = new float[BatchSize];
        var rows = new List<CsvRow>(BatchSize);
        var total = 0;
        while (reader.TryReadRow(out var row))
        {
            transformer.TransformRow(row, buffer.AsSpan(rows.Count * features, features));
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
            predictor.PredictProbabilities(buffer.AsSpan(0, rows.Count * features), probabilities);
            BinaryClassifier.EnsureFinite(probabilities, reader.SourceName, i => rows[i].LineNumber);
            onBatch(rows, probabilities);
            total += rows.Count;
            rows.Clear();
        }
    }
}
