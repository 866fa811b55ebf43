namespace Converge.Cli.Tests;

/// <summary>What a new user hits first: choosing the positive class, typos, a bare command, counts and missing columns.</summary>
public sealed class RoughEdgesTests(TrainedModel trained) : IClassFixture<TrainedModel>
{
    [Fact]
    public void Positive_chooses_the_class_whose_probability_and_metrics_are_reported()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        var (code, output, error) = Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--positive", "benign", "--ignore", "sample_id",
            "--out", model, "--epochs", "10", "--no-plot", "--no-diagnosis", "--json");
        Assert.True(code == 0, error);
        var label = Cli.ParseSingleObject(output).GetProperty("label");
        Assert.Equal("benign", label.GetProperty("positive").GetString());
        Assert.Equal("malignant", label.GetProperty("negative").GetString());
        var rows = Cli.ReadCsv(Cli.Run("predict", model, Cli.TestData("tumors.csv")).Out);
        // The first tumour is malignant: with 'benign' positive its probability is low and its class 'malignant'.
        Assert.Equal("malignant", rows[1][2]);
    }

    [Fact]
    public void A_positive_class_that_is_not_a_label_value_names_the_classes()
    {
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--positive", "bad"),
            "'bad'", "'malignant'", "'benign'");
    }

    [Fact]
    public void A_mistyped_command_is_one_line_with_a_suggestion()
    {
        var line = Cli.AssertUserError(Cli.Run("trian", "data.csv", "--label", "y"), "unknown command 'trian'", "did you mean 'train'?");
        Assert.Contains("evaluate", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--lables", "--label")]
    [InlineData("--epoch", "--epochs")]
    [InlineData("--val-spilt", "--val-split")]
    public void A_mistyped_option_is_one_line_with_a_suggestion(string typo, string meant)
    {
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), typo, "x"), $"unknown option '{typo}'", $"did you mean '{meant}'?");
        // Before the data argument, where the parser would otherwise take the option for the file name.
        Cli.AssertUserError(Cli.Run("train", typo, "x", Cli.TestData("tumors.csv")), $"unknown option '{typo}'", $"did you mean '{meant}'?");
    }

    [Fact]
    public void An_unrelated_word_gets_no_suggestion()
    {
        var line = Cli.AssertUserError(Cli.Run("frobnicate"), "unknown command 'frobnicate'");
        Assert.DoesNotContain("did you mean", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bare_converge_shows_the_commands()
    {
        var (code, output, error) = Cli.Run();
        Assert.Equal(0, code);
        Assert.Equal("", error);
        foreach (var command in new[] { "train", "evaluate", "predict", "inspect", "export", "demo", "diagnose" })
            Assert.Contains(command, output, StringComparison.Ordinal);
    }

    [Fact]
    public void One_of_something_is_singular()
    {
        using var dir = new TempDirectory();
        var rows = File.ReadAllLines(Cli.TestData("tumors.csv")).ToList();
        rows[5] = string.Join(',', rows[5].Split(',').Select((v, i) => i == 2 ? "" : v));
        var data = dir.Write("one-missing.csv", string.Join('\n', rows) + "\n");
        var (code, output, error) = Cli.Run("train", data, "--label", "diagnosis", "--ignore", "sample_id", "--out", dir.File("m.safetensors"),
            "--epochs", "3", "--no-plot", "--val-split", "0", "--json");
        Assert.True(code == 0, error);
        Assert.Contains("imputed 1 missing value in 'mean_texture'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("1 missing values", output, StringComparison.Ordinal);
        Assert.DoesNotContain("1 epochs", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_missing_column_is_named()
    {
        using var dir = new TempDirectory();
        var model = trained.Path;
        var data = dir.Write("fewer.csv", "sample_id,mean_radius,worst_area\nS1,17.99,2019\n");
        var line = Cli.AssertUserError(Cli.Run("predict", model, data), "'mean_texture'", "'mean_smoothness'", "'mean_concave_points'");
        Assert.Contains("3 columns are missing", line, StringComparison.Ordinal);
        Cli.AssertUserError(Cli.Run("train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--ignore", "nope,Mean_radius"),
            "'nope'", "did you mean 'mean_radius' for 'Mean_radius'?");
    }

    private static (int Code, string Out, string Err) TrainWithCtrlC(int presses, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = ConvergeApp.Run(args, output, error, interactive: false, interrupt: e =>
        {
            var interrupt = TrainInterrupt.Manual(e);
            for (var i = 0; i < presses; i++) interrupt.Press();
            return interrupt;
        });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void A_first_ctrl_c_finishes_the_epoch_and_saves_the_best_model_with_a_notice()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        var (code, output, error) = TrainWithCtrlC(1, "train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--ignore", "sample_id",
            "--out", model, "--epochs", "50", "--no-diagnosis", "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        Assert.Equal("interrupted", json.GetProperty("stop_reason").GetString());
        Assert.Equal(1, json.GetProperty("epochs_run").GetInt32());
        Assert.Contains("saved the best model so far (epoch 1)", error, StringComparison.Ordinal);
        Assert.True(File.Exists(model));
        Assert.Equal(0, Cli.Run("evaluate", model, Cli.TestData("tumors.csv")).Code);
    }

    [Fact]
    public void A_second_ctrl_c_aborts_with_nothing_written()
    {
        using var dir = new TempDirectory();
        var model = dir.File("m.safetensors");
        var (code, _, error) = TrainWithCtrlC(2, "train", Cli.TestData("tumors.csv"), "--label", "diagnosis", "--out", model, "--epochs", "50");
        Assert.Equal(TrainInterrupt.AbortExitCode, code);
        Assert.Contains("aborted: nothing written", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(dir.Path));
    }
}
