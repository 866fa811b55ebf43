using Converge;
using Converge.Data;
using Converge.Persistence;
using SharpFuzz;

// One target per parser. Each input either parses or is refused with the parser's own user-facing
// exception (DataError, ModelFileException); anything else escaping is a crash for AFL to keep.
// Run under AFL++ by bench/fuzz-coverage.sh; `converge-fuzz TARGET FILE` replays one input.
var target = args.Length > 0 ? args[0] : "";
Action<Stream> run = target switch
{
    "csv" => Csv,
    "model" => Model,
    "metadata" => Metadata,
    _ => throw new ArgumentException("usage: converge-fuzz csv|model|metadata [FILE]"),
};
if (args.Length > 1)
{
    using var file = File.OpenRead(args[1]);
    run(file);
}
else Fuzzer.OutOfProcess.Run(run);

// The table reader and the streaming reader (predict's) must agree: same rows, or both refuse.
static void Csv(Stream input)
{
    var bytes = ReadAll(input);
    int? tableRows = null, streamedRows = null;
    try
    {
        tableRows = CsvTable.Read(new MemoryStream(bytes), "fuzz.csv").RowCount;
    }
    catch (DataError)
    {
    }
    try
    {
        using var reader = CsvRowReader.Open(new MemoryStream(bytes), "fuzz.csv");
        var rows = 0;
        while (reader.TryReadRow(out var row))
        {
            if (row.Cells.Count != reader.ColumnNames.Count) throw new InvalidOperationException($"row {rows} has {row.Cells.Count} cells for {reader.ColumnNames.Count} columns");
            rows++;
        }
        streamedRows = rows;
    }
    catch (DataError)
    {
    }
    // The table reader also refuses things the row reader leaves to later stages (duplicate names, no rows).
    if (tableRows is { } t && streamedRows != t) throw new InvalidOperationException($"table {t} rows, stream {streamedRows?.ToString() ?? "refused"}");
}

// A model file is loaded and, when it loads, scores a row of missing values: it must give a probability.
static void Model(Stream input)
{
    var path = Path.Combine(Path.GetTempPath(), $"converge-fuzz-{Environment.ProcessId}.safetensors");
    File.WriteAllBytes(path, ReadAll(input));
    try
    {
        var model = BinaryClassifier.Load(path);
        var p = model.CreateRowScorer().Predict().Probability;
        if (!(p is >= 0f and <= 1f)) throw new InvalidOperationException($"probability {p}");
    }
    catch (ModelFileException)
    {
    }
    catch (DataError)
    {
    }
    finally
    {
        File.Delete(path);
    }
}

// Past the checksums, as a careful forger would go: the input is the metadata (a JSON object of strings),
// resealed with its recomputed checksum over the tensors of a seed model with as many members, then loaded
// and scored as above. This reaches every semantic check a crafted file meets (ModelValidation).
static void Metadata(Stream input)
{
    Dictionary<string, string>? metadata;
    try
    {
        metadata = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(ReadAll(input));
    }
    catch (System.Text.Json.JsonException)
    {
        return;
    }
    if (metadata is null) return;
    metadata.Remove(ModelFile.MetadataChecksumKey);
    metadata[ModelFile.MetadataChecksumKey] = ModelFile.MetadataChecksum(metadata);
    var members = metadata.TryGetValue("members", out var m) && m == "5" ? "ensemble" : "single";
    var seeds = Environment.GetEnvironmentVariable("CONVERGE_FUZZ_TENSORS") ?? throw new InvalidOperationException("set CONVERGE_FUZZ_TENSORS to the folder of single.safetensors and ensemble.safetensors");
    var tensors = SafeTensorsFile.Read(Path.Combine(seeds, members + ".safetensors")).Tensors;
    var bytes = SafeTensorsFile.ToBytes(tensors, metadata);
    Model(new MemoryStream(bytes));
}

static byte[] ReadAll(Stream input)
{
    using var buffer = new MemoryStream();
    input.CopyTo(buffer);
    return buffer.ToArray();
}
