using System.Globalization;

namespace Converge.Cli.Tests;

public class EvaluateCommandTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    [Fact]
    public void Json_metrics_agree_with_the_predictions_and_the_labels()
    {
        var (code, output, error) = Cli.Run("evaluate", model.Path, Cli.TestData("tumors.csv"), "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        foreach (var key in new[] { "accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "threshold", "confusion_matrix", "rows", "positives" })
            Assert.True(json.TryGetProperty(key, out _), $"missing key {key}");

        // Independent check: count agreements between predict's labels and the file's labels.
        var predictions = Cli.ReadCsv(Cli.Run("predict", model.Path, Cli.TestData("tumors.csv")).Out).Skip(1).ToList();
        var truth = File.ReadLines(Cli.TestData("tumors.csv")).Skip(1).Select(l => l.Split(',')[^1]).ToList();
        var correct = predictions.Zip(truth).Count(p => p.First[2] == p.Second);
        Assert.Equal(truth.Count, json.GetProperty("rows").GetInt32());
        Assert.Equal(truth.Count(t => t == "malignant"), json.GetProperty("positives").GetInt32());
        Assert.Equal((double)correct / truth.Count, json.GetProperty("accuracy").GetDouble(), 12);
        var cm = json.GetProperty("confusion_matrix");
        Assert.Equal(predictions.Zip(truth).Count(p => p.First[2] == "malignant" && p.Second == "malignant"), cm.GetProperty("tp").GetInt32());
        Assert.Equal(0.5, json.GetProperty("threshold").GetDouble());
    }

    [Fact]
    public void The_human_report_shows_the_metrics_table_and_confusion_matrix()
    {
        var (code, output, error) = Cli.Run("evaluate", model.Path, Cli.TestData("tumors.csv"));
        Assert.True(code == 0, error);
        foreach (var text in new[] { "ROC AUC", "log loss", "actual benign", "predicted malignant", "positive class = 'malignant' (1)" })
            Assert.Contains(text, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Data_without_the_label_column_is_one_error_naming_it()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(Cli.TestData("tumors.csv")).Select(l => string.Join(',', l.Split(',')[..^1]));
        var path = dir.Write("unlabelled.csv", string.Join('\n', lines) + "\n");
        Cli.AssertUserError(Cli.Run("evaluate", model.Path, path), "unlabelled.csv", "'diagnosis'");
    }

    [Fact]
    public void A_missing_model_file_is_one_error_line()
    {
        using var dir = new TempDirectory();
        Cli.AssertUserError(Cli.Run("evaluate", dir.File("nope.safetensors"), Cli.TestData("tumors.csv")), "nope.safetensors");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.02)]
    [InlineData(0.97)]
    public void A_model_with_one_flipped_byte_is_reported_as_damaged(double position)
    {
        using var dir = new TempDirectory();
        var bytes = File.ReadAllBytes(model.Path);
        var at = (int)(position * (bytes.Length - 1));
        bytes[at] ^= 0x01;
        var path = dir.File("flipped.safetensors");
        File.WriteAllBytes(path, bytes);
        var line = Cli.AssertUserError(Cli.Run("evaluate", path, Cli.TestData("tumors.csv")), "flipped.safetensors");
        Assert.True(line.Length > "error: flipped.safetensors".Length, string.Create(CultureInfo.InvariantCulture, $"byte {at}: {line}"));
    }

    [Fact]
    public void A_csv_given_as_the_model_is_one_error_line()
    {
        Cli.AssertUserError(Cli.Run("evaluate", Cli.TestData("tumors.csv"), Cli.TestData("tumors.csv")), "tumors.csv", "not a Converge model");
    }
}
