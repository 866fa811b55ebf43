using System.Globalization;

namespace Converge.Cli.Tests;

public class InspectCommandTests(TrainedModel model) : IClassFixture<TrainedModel>
{
    // tumors.csv: 5 numeric features (sample_id is dropped); default hidden layers 16,16.
    private const int Inputs = 5;
    private static readonly int Parameters = (Inputs * 16) + 16 + (16 * 16) + 16 + 16 + 1;

    [Fact]
    public void Shows_architecture_preprocessing_label_threshold_and_training()
    {
        var (code, output, error) = Cli.Run("inspect", model.Path);
        Assert.True(code == 0, error);
        foreach (var text in new[] { "5 in → 16 relu → 16 relu → 1 logit", Parameters.ToString("N0", CultureInfo.InvariantCulture), "Linear(in_features=5",
            "mean_radius", "numeric", "sample_id", "dropped", "positive class = 'malignant' (1)", "threshold", "epochs=20", "best epoch", "roc_auc=" })
            Assert.Contains(text, output, StringComparison.Ordinal);
    }

    [Fact]
    public void Shows_the_members_and_what_the_defaults_decided_for_an_ensemble()
    {
        using var dir = new TempDirectory();
        var path = dir.File("best.safetensors");
        var train = Cli.Run("train", Cli.TestData("tumors.csv"), "-l", "diagnosis", "--epochs", "5", "--out", path, "--no-plot", "-q");
        Assert.True(train.Code == 0, train.Err);
        Assert.Contains("decided:", train.Out, StringComparison.Ordinal);
        var (code, output, error) = Cli.Run("inspect", path);
        Assert.True(code == 0, error);
        foreach (var text in new[] { "5 cross-fitted networks", "5 in → 128 relu → 128 relu → 1 logit", "decided:", "ensemble: 5 cross-fitted networks",
            "optimizer: adam, learning rate 0.001, weight decay 0", "numeric scaling: none (raw numbers)", "left out 'sample_id'" })
            Assert.Contains(text, output, StringComparison.Ordinal);
        var json = Cli.ParseSingleObject(Cli.Run("inspect", path, "--json").Out).GetProperty("training");
        Assert.Equal(5, json.GetProperty("members").GetInt32());
        Assert.Equal(5, json.GetProperty("member_best_epochs").GetArrayLength());
        Assert.NotEmpty(json.GetProperty("decisions").EnumerateArray());
    }

    [Fact]
    public void Json_has_every_section()
    {
        var (code, output, error) = Cli.Run("inspect", model.Path, "--json");
        Assert.True(code == 0, error);
        var json = Cli.ParseSingleObject(output);
        var architecture = json.GetProperty("architecture");
        Assert.Equal(Inputs, architecture.GetProperty("inputs").GetInt32());
        Assert.Equal(Parameters, architecture.GetProperty("parameters").GetInt32());
        Assert.Equal(Parameters, architecture.GetProperty("layers").EnumerateArray().Sum(l => l.GetProperty("parameters").GetInt32()));
        var preprocessing = json.GetProperty("preprocessing");
        Assert.Equal(Inputs, preprocessing.GetProperty("features").GetArrayLength());
        Assert.Equal(Inputs, preprocessing.GetProperty("scaler").GetProperty("mean").GetArrayLength());
        Assert.Contains(preprocessing.GetProperty("columns").EnumerateArray(), c => c.GetProperty("name").GetString() == "sample_id" && c.GetProperty("kind").GetString() == "dropped");
        Assert.Equal("malignant", json.GetProperty("label").GetProperty("positive").GetString());
        Assert.Equal(0.5, json.GetProperty("threshold").GetDouble());
        var training = json.GetProperty("training");
        Assert.Equal(20, training.GetProperty("epochs_run").GetInt32());
        Assert.Equal(160, training.GetProperty("rows_train").GetInt32() + training.GetProperty("rows_validation").GetInt32());
        Assert.True(training.GetProperty("validation").TryGetProperty("roc_auc", out _));
        // The same spelling as train --json (a model file stores the enum's name, e.g. "EarlyStopped").
        Assert.Contains(training.GetProperty("stop_reason").GetString(), new[] { "completed", "early_stopped", "diverged", "interrupted" });
    }

    [Fact]
    public void A_missing_or_foreign_model_is_one_error_line()
    {
        using var dir = new TempDirectory();
        Cli.AssertUserError(Cli.Run("inspect", dir.File("nope.safetensors")), "nope.safetensors");
        Cli.AssertUserError(Cli.Run("inspect", Cli.TestData("messy.csv")), "messy.csv");
    }
}
