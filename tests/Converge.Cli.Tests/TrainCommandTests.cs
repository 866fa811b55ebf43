using System.Text.Json;

namespace Converge.Cli.Tests;

public class TrainCommandTests
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void Train_writes_the_model_and_a_png_loss_curve_and_reports_on_the_validation_split()
    {
        using var dir = new TempDirectory();
        var model = dir.File("tumors.safetensors");
        var (code, output, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--epochs", "20", "--out", model);
        Assert.True(code == 0, error);
        Assert.Equal("", error);
        Assert.True(File.Exists(model));
        var png = dir.File("tumors.loss.png");
        Assert.Equal(PngSignature, File.ReadAllBytes(png).Take(8));
        Assert.Contains("positive class = 'malignant' (1), negative = 'benign' (0)", output, StringComparison.Ordinal);
        Assert.Contains("dropped column 'sample_id'", output, StringComparison.Ordinal);
        foreach (var metric in new[] { "accuracy", "precision", "recall", "F1", "ROC AUC", "PR AUC", "log loss", "actual malignant", "predicted benign", "F1-maximizing threshold" })
            Assert.Contains(metric, output, StringComparison.Ordinal);
        Assert.Contains(model, output, StringComparison.Ordinal);
        Assert.Contains(png, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_report_is_one_object_with_every_key_and_progress_goes_to_stderr()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--epochs", "20", "--out", dir.File("m.safetensors"), "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        foreach (var key in new[] { "model", "plot", "rows_train", "rows_validation", "epochs_run", "best_epoch", "stop_reason", "seconds", "label", "notices", "validation", "best_f1_threshold", "best_f1" })
            Assert.True(json.TryGetProperty(key, out _), $"missing key {key}");
        var rows = File.ReadLines(Cli.TestData("tumors.csv")).Count() - 1;
        // The default (--preset best) cross-fits 5 networks: every row trains, and validates once out of fold.
        Assert.Equal(5, json.GetProperty("members").GetInt32());
        Assert.Equal(rows, json.GetProperty("rows_train").GetInt32());
        Assert.Equal(rows, json.GetProperty("rows_validation").GetInt32());
        var decisions = json.GetProperty("decisions").EnumerateArray().Select(d => d.GetString()!).ToList();
        Assert.Contains(decisions, d => d.StartsWith("ensemble: 5 cross-fitted networks", StringComparison.Ordinal));
        Assert.Contains(decisions, d => d == "numeric scaling: none (raw numbers)");
        Assert.Equal("malignant", json.GetProperty("label").GetProperty("positive").GetString());
        Assert.Equal("diagnosis", json.GetProperty("label").GetProperty("column").GetString());
        var validation = json.GetProperty("validation");
        foreach (var key in new[] { "accuracy", "precision", "recall", "f1", "roc_auc", "pr_auc", "log_loss", "threshold", "confusion_matrix", "rows" })
            Assert.True(validation.TryGetProperty(key, out _), $"missing validation key {key}");
        var cm = validation.GetProperty("confusion_matrix");
        var (tp, fp, tn, fn) = (cm.GetProperty("tp").GetInt32(), cm.GetProperty("fp").GetInt32(), cm.GetProperty("tn").GetInt32(), cm.GetProperty("fn").GetInt32());
        Assert.Equal(json.GetProperty("rows_validation").GetInt32(), tp + fp + tn + fn);
        Assert.Equal((double)(tp + tn) / (tp + fp + tn + fn), validation.GetProperty("accuracy").GetDouble(), 12);
        Assert.True(json.GetProperty("best_f1").GetDouble() >= validation.GetProperty("f1").GetDouble(), "the best F1 is at least the F1 at 0.5");
        Assert.True(File.Exists(json.GetProperty("model").GetString()));
        Assert.True(File.Exists(json.GetProperty("plot").GetString()));
        Assert.Contains("epoch", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_option_given_overrides_the_preset_and_the_rest_stay_the_presets()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--hidden", "8", "--epochs", "5",
            "--out", dir.File("m.safetensors"), "--no-plot", "-q", "--no-diagnosis");
        Assert.True(code == 0, error);
        Assert.Contains("5 × 5 in → 8 relu → 1 logit", output, StringComparison.Ordinal);
        Assert.Contains("learning rate 0.001", output, StringComparison.Ordinal);
        var fast = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--preset", "fast", "--epochs", "5",
            "--out", dir.File("f.safetensors"), "--no-plot", "-q", "--no-diagnosis");
        Assert.True(fast.Code == 0, fast.Err);
        Assert.Contains("network: 5 in → 16 relu → 16 relu → 1 logit", fast.Out, StringComparison.Ordinal);
        Assert.Contains("learning rate 0.003", fast.Out, StringComparison.Ordinal);
        Assert.Contains("one network: kept epoch", fast.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_progress_prints_every_tenth_of_the_epochs_and_quiet_prints_none()
    {
        using var dir = new TempDirectory();
        string[] args = ["train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--preset", "fast", "--epochs", "20", "--patience", "0", "--out", dir.File("m.safetensors")];
        var (code, output, _) = Cli.Run(args);
        Assert.Equal(0, code);
        var epochs = output.Split('\n').Where(l => l.StartsWith("epoch ", StringComparison.Ordinal)).Select(l => int.Parse(l[6..l.IndexOf('/', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        // Every 20 / 10 = 2 epochs, plus the first.
        Assert.Equal([1, .. Enumerable.Range(1, 10).Select(i => i * 2)], epochs);

        var quiet = Cli.Run([.. args, "--quiet"]);
        Assert.Equal(0, quiet.Code);
        Assert.DoesNotContain("epoch ", quiet.Out.Split("Validation")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Plot_goes_where_asked_and_no_plot_writes_none()
    {
        using var dir = new TempDirectory();
        var custom = dir.File("curve.png");
        Assert.Equal(0, Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--epochs", "5", "--out", dir.File("a.safetensors"), "--plot", custom, "-q").Code);
        Assert.Equal(PngSignature, File.ReadAllBytes(custom).Take(8));
        Assert.False(File.Exists(dir.File("a.loss.png")));
        Assert.Equal(0, Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--epochs", "5", "--out", dir.File("b.safetensors"), "--no-plot", "-q").Code);
        Assert.Empty(Directory.GetFiles(dir.Path, "b*.png"));
    }

    [Fact]
    public void Divergence_prints_the_report_writes_no_model_and_exits_3()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        // worst_area is in the thousands: raw inputs with a huge SGD step (1e6 only kills the ReLUs on 5 columns) make the loss NaN in the first epoch.
        string[] args = ["train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--normalize", "none", "--lr", "1e12", "--optimizer", "sgd", "--epochs", "20", "--out", model];
        var (code, output, _) = Cli.Run(args);
        Assert.Equal(ExitCodes.Diverged, code);
        Assert.Contains("diverged", output, StringComparison.Ordinal);
        Assert.Contains("No model was written", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));

        var json = Cli.Run([.. args, "--json"]);
        Assert.Equal(ExitCodes.Diverged, json.Code);
        var report = Cli.ParseSingleObject(json.Out);
        Assert.Equal("diverged", report.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("model").ValueKind);
        Assert.False(string.IsNullOrEmpty(report.GetProperty("divergence").GetString()));
    }

    [Fact]
    public void A_messy_csv_with_quotes_missing_values_categories_an_id_and_crlf_trains()
    {
        using var dir = new TempDirectory();
        var (code, output, error) = Cli.Run("train", Cli.TestData("messy.csv"), "-l", "bought", "--preset", "fast", "--epochs", "20", "--out", dir.File("m.safetensors"), "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        Assert.Equal(90, json.GetProperty("rows_train").GetInt32() + json.GetProperty("rows_validation").GetInt32());
        Assert.Equal("yes", json.GetProperty("label").GetProperty("positive").GetString());
        var notices = json.GetProperty("notices").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains(notices, n => n.Contains("'customer'", StringComparison.Ordinal) && n.Contains("dropped", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("'age'", StringComparison.Ordinal) && n.Contains("imputed", StringComparison.Ordinal));
        Assert.Contains(notices, n => n.Contains("'city'", StringComparison.Ordinal) && n.Contains("imputed", StringComparison.Ordinal));
    }

    public static TheoryData<string, string, string[]> BadFiles => new()
    {
        { "one-class.csv", "a,b,y\n1,2,x\n3,4,x\n5,6,x\n", ["one-class.csv", "column 'y'", "'x'"] },
        { "three-classes.csv", "a,b,y\n1,2,x\n3,4,z\n5,6,w\n", ["three-classes.csv", "line 4", "column 'y'", "'w'"] },
        { "ragged.csv", "a,b,y\n1,2,x\n3,4\n5,6,z\n", ["ragged.csv", "line 3", "3 fields", "found 2"] },
        { "empty.csv", "", ["empty.csv", "empty"] },
        { "binary.csv", "\u0001\u0002PK\0\0\u0003\u0004zz\0", ["binary.csv", "binary"] },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void A_bad_data_file_is_one_error_line_naming_where(string name, string content, string[] mentions)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(name, content);
        Cli.AssertUserError(Cli.Run("train", path, "-l", "y", "--out", dir.File("m.safetensors")), mentions);
        Assert.False(File.Exists(dir.File("m.safetensors")));
    }

    [Fact]
    public void A_missing_data_file_or_label_column_is_one_error_line()
    {
        using var dir = new TempDirectory();
        Cli.AssertUserError(Cli.Run("train", dir.File("nope.csv"), "-l", "y", "--out", dir.File("m.safetensors")), "nope.csv", "not found");
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "Diagnosis", "--out", dir.File("m.safetensors")), "'Diagnosis'", "did you mean 'diagnosis'");
    }

    [Fact]
    public void An_unwritable_out_path_is_refused_before_training()
    {
        using var dir = new TempDirectory();
        var missingDirectory = Path.Combine(dir.Path, "no-such-dir", "m.safetensors");
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--out", missingDirectory), "--out", "does not exist");
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--out", dir.Path), "--out", "is a directory");
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--out", dir.File("m.safetensors"), "--plot", missingDirectory + ".png"), "--plot");
        Assert.Empty(Directory.GetFiles(dir.Path));
    }

    [Theory]
    [InlineData("--lr", "0", "--lr", "0")]
    [InlineData("--hidden", "a,b", "--hidden", "'a'")]
    [InlineData("--activation", "foo", "--activation", "'foo'")]
    [InlineData("--val-split", "1.5", "--val-split", "1.5")]
    [InlineData("--epochs", "0", "--epochs", "0")]
    [InlineData("--optimizer", "rmsprop", "--optimizer", "'rmsprop'")]
    [InlineData("--pos-weight", "-2", "--pos-weight", "'-2'")]
    public void A_bad_option_value_is_one_error_line_naming_the_option_and_value(string option, string value, string mentionOption, string mentionValue)
    {
        using var dir = new TempDirectory();
        var line = Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--out", dir.File("m.safetensors"), option, value), mentionOption);
        Assert.Contains(mentionValue, line[mentionOption.Length..], StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
