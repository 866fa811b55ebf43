using Converge.Data;

namespace Converge.Tests.Api;

public class StreamScorerTests
{
    private static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    // 569 rows repeated past two batch boundaries: every batch (full and partial) scored as the whole table is.
    [Fact]
    public void Streams_in_batches_the_probabilities_and_encoded_rows_of_the_whole_table()
    {
        var text = File.ReadAllLines(TestData("breast-cancer", "breast-cancer.csv"));
        var lines = new List<string> { text[0] };
        while (lines.Count <= 2 * StreamScorer.BatchSize + 100) lines.AddRange(text.Skip(1));
        var csv = string.Join('\n', lines) + "\n";
        var table = CsvTable.Read(new StringReader(csv), "big.csv");
        var model = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis", Preset = TrainingPreset.Fast, Training = new() { Epochs = 5 } }).Classifier;

        var expected = model.PredictProbabilities(table);
        var streamed = new List<float>();
        var encoded = new List<float>();
        var batches = 0;
        RowTransformer? bound = null;
        using var reader = CsvRowReader.Open(new StringReader(csv), "big.csv");
        StreamScorer.Score(model, reader, t => bound = t, batch =>
        {
            batches++;
            Assert.True(batch.Rows.Count <= StreamScorer.BatchSize);
            streamed.AddRange(batch.Probabilities.AsSpan(0, batch.Rows.Count));
            encoded.AddRange(batch.Features);
        });

        Assert.NotNull(bound);
        Assert.Equal(3, batches);
        Assert.Equal(expected, streamed);
        Assert.Equal(model.PredictProbabilities([.. encoded], table.RowCount), expected);
    }

    [Fact]
    public void A_header_without_rows_is_a_data_error()
    {
        var table = CsvTable.Read(TestData("breast-cancer", "breast-cancer.csv"));
        var model = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis", Preset = TrainingPreset.Fast, Training = new() { Epochs = 2 } }).Classifier;
        var header = File.ReadLines(TestData("breast-cancer", "breast-cancer.csv")).First();
        using var reader = CsvRowReader.Open(new StringReader(header + "\n"), "empty.csv");
        var error = Assert.Throws<DataError>(() => StreamScorer.Score(model, reader, null, _ => { }));
        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }
}
