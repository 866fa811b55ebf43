namespace Converge.Cli.Tests;

public class CalibrationReportTests
{
    [Fact]
    public void An_ensemble_report_shows_every_member_and_scores_out_of_fold()
    {
        using var dir = new TempDirectory();
        var page = dir.File("run.html");
        var (code, output, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--preset", "best", "--epochs", "15",
            "--out", dir.File("m.safetensors"), "--no-plot", "--json", "--report", page);
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        Assert.Equal(5, json.GetProperty("members").GetInt32());
        var calibration = json.GetProperty("calibration");
        Assert.Contains(calibration.GetProperty("method").GetString(), new[] { "none", "platt", "isotonic" });
        Assert.Equal(3, calibration.GetProperty("cross_validated_log_loss").EnumerateObject().Count());
        var html = File.ReadAllText(page);
        Assert.Contains("Loss per epoch, every member", html, StringComparison.Ordinal);
        for (var m = 1; m <= 5; m++) Assert.Contains($"member {m} validation", html, StringComparison.Ordinal);
        Assert.Contains("out-of-fold predictions (", html, StringComparison.Ordinal);
        Assert.Contains("calibration: ", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_forced_calibration_is_saved_shown_by_inspect_and_applied_by_predict()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        var (code, _, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--epochs", "15", "--calibration", "platt", "--val-split", "0.7",
            "--out", model, "--no-plot", "--quiet");
        Assert.True(code == 0, error);
        var (inspectCode, inspect, _) = Cli.Run("inspect", model, "--json");
        Assert.Equal(0, inspectCode);
        Assert.Equal("platt", Cli.ParseSingleObject(inspect).GetProperty("calibration").GetProperty("method").GetString());

        var (predictCode, predictions, predictError) = Cli.Run("predict", model, Cli.TestData("tumors.csv"));
        Assert.True(predictCode == 0, predictError);
        var library = BinaryClassifier.Load(model).PredictProbabilities(Data.CsvTable.Read(Cli.TestData("tumors.csv")));
        var written = predictions.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(static l => float.Parse(l.Split(',')[0], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(library.Length, written.Length);
        for (var i = 0; i < written.Length; i++) Assert.True(Math.Abs(library[i] - written[i]) <= 1e-5, $"row {i}: {library[i]} vs {written[i]}");
    }

    [Fact]
    public void An_unknown_calibration_is_a_user_error()
    {
        using var dir = new TempDirectory();
        var (code, _, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--calibration", "beta", "--out", dir.File("m.safetensors"));
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Contains("--calibration", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
