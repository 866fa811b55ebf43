using System.Globalization;

namespace Converge.Cli.Tests;

public class PredictCommandTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [Fact]
    public void Predictions_keep_the_input_order_row_count_and_id_column()
    {
        var (code, output, error) = Cli.Run("predict", model.Path, Cli.TestData("tumors.csv"), "--id", "sample_id");
        Assert.True(code == 0, error);
        var rows = Cli.ReadCsv(output);
        Assert.Equal(["sample_id", "probability", "label", "class"], rows[0]);
        var ids = File.ReadLines(Cli.TestData("tumors.csv")).Skip(1).Select(l => l.Split(',')[0]).ToList();
        Assert.Equal(ids, rows.Skip(1).Select(r => r[0]));
        foreach (var row in rows.Skip(1))
        {
            var p = double.Parse(row[1], CultureInfo.InvariantCulture);
            Assert.InRange(p, 0, 1);
            Assert.Equal(p >= 0.5 ? "1" : "0", row[2]);
            Assert.Equal(p >= 0.5 ? "malignant" : "benign", row[3]);
        }
    }

    [Fact]
    public void The_label_column_is_ignored_and_output_is_written_atomically()
    {
        using var dir = new TempDirectory();
        var unlabelled = dir.Write("unlabelled.csv", string.Join('\n',
            File.ReadLines(Cli.TestData("tumors.csv")).Select(l => string.Join(',', l.Split(',')[..^1]))) + "\n");
        var withLabel = Cli.Run("predict", model.Path, Cli.TestData("tumors.csv"));
        var output = dir.File("predictions.csv");
        var (code, stdout, error) = Cli.Run("predict", model.Path, unlabelled, "--output", output);
        Assert.True(code == 0, error);
        Assert.Equal("", stdout);
        Assert.Equal(withLabel.Out.ReplaceLineEndings(), File.ReadAllText(output).ReplaceLineEndings());
        Assert.Equal(["predictions.csv", "unlabelled.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("wrote 160 predictions", error, StringComparison.Ordinal);
    }

    [Fact]
    public void More_rows_than_one_batch_come_out_in_order()
    {
        using var dir = new TempDirectory();
        var source = File.ReadLines(Cli.TestData("tumors.csv")).ToList();
        var rows = Enumerable.Range(0, 10_000).Select(i => source[1 + (i % (source.Count - 1))].Split(',')).Select((cells, i) => $"R{i}," + string.Join(',', cells[1..]));
        var big = dir.Write("big.csv", source[0] + "\n" + string.Join('\n', rows) + "\n");
        var (code, output, error) = Cli.Run("predict", model.Path, big, "--id", "sample_id");
        Assert.True(code == 0, error);
        var predicted = Cli.ReadCsv(output).Skip(1).ToList();
        Assert.Equal(10_000, predicted.Count);
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"R{i}"), predicted.Select(r => r[0]));
        // Rows repeat every 160: the same features must get the same probability across batch boundaries.
        Assert.Equal(predicted[5][1], predicted[5 + (160 * 30)][1]);
    }

    [Fact]
    public void A_messy_csv_predicts_with_notices_for_unseen_and_missing_values()
    {
        using var dir = new TempDirectory();
        var messyModel = dir.File("messy.safetensors");
        Assert.Equal(0, Cli.Run("train", Cli.TestData("messy.csv"), "-l", "bought", "--epochs", "20", "--out", messyModel, "-q", "--no-plot").Code);
        var input = dir.Write("new.csv", "customer,name,city,age,visits\r\nX1,\"Doe, \"\"J\"\"\",Berlin,30,5\r\nX2,,Oslo,NA,9\r\n\"X,3\",Kim,Rome,50,1\r\n");
        var (code, output, error) = Cli.Run("predict", messyModel, input, "--id", "customer");
        Assert.True(code == 0, error);
        var rows = Cli.ReadCsv(output);
        Assert.Equal(["X1", "X2", "X,3"], rows.Skip(1).Select(r => r[0]));
        Assert.All(rows.Skip(1), r => Assert.Contains(r[3], new[] { "yes", "no" }));
        Assert.Contains("'Berlin'", error, StringComparison.Ordinal);
        Assert.Contains("imputed 1 missing value in 'age'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_id_column_or_unwritable_output_is_one_error_line()
    {
        using var dir = new TempDirectory();
        Cli.AssertUserError(Cli.Run("predict", model.Path, Cli.TestData("tumors.csv"), "--id", "nope"), "tumors.csv", "'nope'", "--id");
        Cli.AssertUserError(Cli.Run("predict", model.Path, Cli.TestData("tumors.csv"), "--output", Path.Combine(dir.Path, "missing", "p.csv")), "--output", "does not exist");
        Cli.AssertUserError(Cli.Run("predict", model.Path, Cli.TestData("tumors.csv"), "--output", dir.Path), "--output", "is a directory");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void A_bad_value_half_way_leaves_no_output_file()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(Cli.TestData("tumors.csv")).ToList();
        lines[100] = "S9999,abc," + string.Join(',', lines[100].Split(',')[2..]);
        var input = dir.Write("bad.csv", string.Join('\n', lines) + "\n");
        var output = dir.File("p.csv");
        Cli.AssertUserError(Cli.Run("predict", model.Path, input, "--output", output), "bad.csv", "line 101", "column 'mean_radius'", "'abc'");
        Assert.Equal(["bad.csv"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }
}
