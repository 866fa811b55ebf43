using Converge.Data;
using Converge.Evaluation;

namespace Converge.Tests.Classification;

public class ClassifierFitterTests
{
    private static string TestData(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "TestData", .. parts]);

    private static CsvTable Cancer() => CsvTable.Read(TestData("breast-cancer", "breast-cancer.csv"));

    // The reported validation metrics are the saved model's own scores of the validation rows: one scoring path.
    [Fact]
    public void Hold_out_metrics_are_the_models_own_scores_of_the_validation_rows()
    {
        var fit = BinaryClassifier.Fit(Cancer(), new ClassifierOptions { Label = "diagnosis", Preset = TrainingPreset.Fast, Calibration = Converge.Training.CalibrationMethod.None, Training = new() { Epochs = 30 } });
        var validation = fit.Validation!;
        var scored = fit.Classifier.PredictProbabilities(validation.Features, validation.Rows);
        var metrics = BinaryMetrics.Compute(scored, validation.Labels, fit.Classifier.Threshold);
        Assert.Equal(metrics.LogLoss, fit.ValidationMetrics!.LogLoss);
        Assert.Equal(metrics.RocAuc, fit.ValidationMetrics.RocAuc);
        Assert.Equal(validation.Rows, fit.Classifier.Training.ValidationRows);
        Assert.Null(fit.Classifier.Training.MemberBestEpochs);
    }

    // Out-of-fold: the first member never trained on its fold, so its scores of that fold are the ensemble's OOF scores there.
    [Fact]
    public void Cross_fitted_metrics_are_out_of_fold_over_every_row()
    {
        var table = Cancer();
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions { Label = "diagnosis", Members = 3, Training = new() { Epochs = 20 } });
        Assert.Equal(3, fit.MemberCount);
        Assert.Equal(table.RowCount, fit.ValidationMetrics!.Rows);
        Assert.Equal(table.RowCount, fit.Classifier.Training.TrainRows);
        Assert.Equal(3, fit.Classifier.Training.MemberBestEpochs!.Count);
        Assert.Equal(fit.Train.Rows + fit.Validation!.Rows, table.RowCount);
    }

    [Theory]
    [InlineData(ThresholdRule.Half)]
    [InlineData(ThresholdRule.BestF1)]
    public void The_threshold_rule_decides_the_saved_threshold(ThresholdRule rule)
    {
        var fit = BinaryClassifier.Fit(Cancer(), new ClassifierOptions { Label = "diagnosis", Preset = TrainingPreset.Fast, Threshold = rule, Training = new() { Epochs = 30 } });
        Assert.NotNull(fit.BestF1Threshold);
        Assert.Equal(rule == ThresholdRule.Half ? 0.5 : fit.BestF1Threshold!.Value, fit.Classifier.Threshold);
        Assert.Equal(fit.Classifier.Threshold, fit.ValidationMetrics!.Threshold);
    }

    [Fact]
    public void A_network_over_the_parameter_limit_is_a_data_error_on_both_paths()
    {
        foreach (var members in new[] { 1, 3 })
        {
            var options = new ClassifierOptions { Label = "diagnosis", Members = members, Training = new() { Hidden = [9_000_000], Epochs = 1 } };
            var error = Assert.Throws<DataError>(() => BinaryClassifier.Fit(Cancer(), options));
            Assert.Contains("parameters", error.Message, StringComparison.Ordinal);
        }
    }

    // Ctrl-C during member 2: it keeps its best weights, members 3-5 never start, the metrics cover folds 1-2 only.
    [Fact]
    public void An_interrupted_ensemble_keeps_the_members_trained_and_scores_only_their_folds()
    {
        var table = Cancer();
        using var stop = new CancellationTokenSource();
        var progress = new Relay(log => { if (log.Member == 2 && log.Epoch == 3) stop.Cancel(); });
        var fit = BinaryClassifier.Fit(table, new ClassifierOptions
        {
            Label = "diagnosis", Training = ClassifierOptions.BestTraining with { Epochs = 20, StopRequest = stop.Token },
        }, progress);
        Assert.Equal(2, fit.MemberCount);
        Assert.Equal(Converge.Training.StopReason.Interrupted, fit.Run.StopReason);
        Assert.InRange(fit.ValidationMetrics!.Rows, table.RowCount * 2 / 5 - 2, table.RowCount * 2 / 5 + 2);
        Assert.Equal(fit.ValidationMetrics.Rows, fit.ValidationProbabilities.Length);
        Assert.Equal(5, fit.Folds);
        Assert.Contains(fit.Classifier.Training.Decisions!, d => d.Contains("each trained on 4 of 5 folds", StringComparison.Ordinal)
            && d.Contains("interrupted after member 2 of 5", StringComparison.Ordinal));
    }

    private sealed class Relay(Action<Converge.Training.EpochLog> report) : IProgress<Converge.Training.EpochLog>
    {
        public void Report(Converge.Training.EpochLog value) => report(value);
    }
}
