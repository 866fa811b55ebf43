using Converge.Data;
using Converge.Diagnosis;
using Converge.Training;
using DiagnosisResult = Converge.Diagnosis.DiagnosisReport;

namespace Converge.Tests.Diagnosis;

/// <summary>End to end: the question's runs, planted failures (each must be named) and healthy controls (silent).</summary>
public class DoctorTests
{
    private static readonly DoctorOptions Quick = new(SearchSeconds: 600, MaxEpochs: 100);

    private static void AssertSilent(DiagnosisResult d) =>
        Assert.False(d.HasProblems, Scenarios.Describe(d));

    private static Finding AssertFound(DiagnosisResult d, params string[] codes)
    {
        var found = d.Findings.FirstOrDefault(f => codes.Contains(f.Code) && f.Severity >= Severity.Warning);
        Assert.True(found is not null, $"expected one of {string.Join(", ", codes)}; got:\n{Scenarios.Describe(d)}");
        return found;
    }

    [Fact]
    public void The_questions_raw_heart_rate_run_is_unscaled_input_and_standardizing_is_confirmed()
    {
        var d = Doctor.Diagnose(Scenarios.HeartRate(), null, Scenarios.Question(Normalization.None), ["bpm"], Quick);
        var top = d.Findings[0];
        Assert.Equal(FindingCodes.UnscaledInput, top.Code);
        Assert.Contains("--normalize standard", top.Remedy, StringComparison.Ordinal);
        Assert.Contains("BatchNorm1d", top.Remedy, StringComparison.Ordinal);
        var c = top.Confirmation;
        Assert.NotNull(c);
        Assert.Equal(100, c.Epochs);
        Assert.True(c.Improved, $"{c.Baseline} → {c.Remedied}");
        Assert.Equal((c.Baseline - c.Remedied) / c.Baseline, c.Gain, 12);
        Assert.True(c.Remedied < 0.5 * c.Baseline, $"standardizing should at least halve the loss: {c.Baseline} → {c.Remedied}");
    }

    [Theory]
    [InlineData(Normalization.Standard)]
    [InlineData(Normalization.BatchNorm)]
    public void The_questions_fixed_runs_raise_no_warnings(Normalization normalize) =>
        AssertSilent(Doctor.Diagnose(Scenarios.HeartRate(), null, Scenarios.Question(normalize), ["bpm"], Quick));

    [Fact]
    public void The_circles_run_standardized_raises_no_warnings() =>
        AssertSilent(Doctor.Diagnose(Scenarios.Circles(), null, new TrainingOptions { Epochs = 100, ValidationSplit = 0 }, ["x1", "x2"], Quick));

    [Fact]
    public void Breast_cancer_with_default_options_raises_no_warnings()
    {
        var table = CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "breast-cancer", "breast-cancer.csv"));
        var options = new ClassifierOptions { Label = "diagnosis" };
        var fit = BinaryClassifier.Fit(table, options);
        AssertSilent(Doctor.Examine(fit.Train, fit.Validation, options.Training, fit.Run, fit.Classifier.FeatureNames, Quick));
    }

    [Fact]
    public void A_learning_rate_ten_times_too_high_oscillates_and_a_tenth_is_confirmed()
    {
        var data = Scenarios.Linear(400, 4, 3);
        var sgd = new TrainingOptions { Optimizer = OptimizerKind.Sgd, Epochs = 40, ValidationSplit = 0 };
        // SGD at 0.3 trains this problem cleanly; ten times that (3.0) makes the loss bounce.
        AssertSilent(Doctor.Diagnose(data, null, sgd with { LearningRate = 0.3 }, null, Quick));
        var finding = AssertFound(Doctor.Diagnose(data, null, sgd with { LearningRate = 3.0 }, null, Quick), FindingCodes.Oscillation, FindingCodes.Diverged);
        Assert.Contains("--lr 0.3", finding.Remedy, StringComparison.Ordinal);
        Assert.True(finding.Confirmation?.Improved, finding.Confirmation?.ToString());
    }

    [Fact]
    public void A_learning_rate_far_too_low_is_stuck_or_slow()
    {
        var d = Doctor.Diagnose(Scenarios.Circles(), null, new TrainingOptions { Epochs = 60, LearningRate = 1e-5, ValidationSplit = 0 }, null, Quick);
        var finding = AssertFound(d, FindingCodes.StuckAtBaseRate, FindingCodes.SlowConvergence);
        Assert.True(finding.Confirmation?.Improved, finding.Confirmation?.ToString());
    }

    [Fact]
    public void A_huge_negative_first_bias_kills_the_relus_and_the_default_init_is_confirmed()
    {
        var options = new TrainingOptions { Epochs = 30, ValidationSplit = 0, Initialize = Scenarios.FirstBias(-50) };
        var finding = AssertFound(Doctor.Diagnose(Scenarios.Circles(), null, options, null, Quick), FindingCodes.DeadRelus);
        Assert.Equal(Severity.Error, finding.Severity);
        Assert.Equal(1.0, finding.Values["layer1.dead"]);
        Assert.True(finding.Confirmation?.Improved, finding.Confirmation?.ToString());
    }

    [Fact]
    public void A_big_network_trained_long_on_tiny_data_overfits()
    {
        var options = new TrainingOptions { Hidden = [128, 128], Epochs = 120, Patience = 0, LearningRate = 0.01 };
        var d = Doctor.Diagnose(Scenarios.Linear(60, 10, 7), Scenarios.Linear(200, 10, 8), options, null, Quick);
        AssertFound(d, FindingCodes.Overfitting);
        AssertFound(d, FindingCodes.TooFewRows);
        Assert.NotNull(d.Find(FindingCodes.Overfitting)!.Confirmation ?? d.Find(FindingCodes.TooFewRows)!.Confirmation ?? d.Findings[0].Confirmation);
    }

    [Fact]
    public void Severe_imbalance_is_found_and_the_positive_weight_is_tested_on_balanced_accuracy()
    {
        var data = Scenarios.Linear(1000, 4, 4, positiveRate: 0.04);
        var finding = AssertFound(Doctor.Diagnose(data, null, new TrainingOptions { Epochs = 20, ValidationSplit = 0 }, null, Quick), FindingCodes.ClassImbalance);
        var c = finding.Confirmation;
        Assert.NotNull(c);
        Assert.StartsWith("balanced accuracy", c.Metric, StringComparison.Ordinal);
        Assert.Equal(c.Remedied - c.Baseline, c.Gain, 12);
    }

    [Fact]
    public void NaN_in_array_data_is_an_error_and_no_confirmation_is_attempted()
    {
        var data = Scenarios.MapColumn(Scenarios.Linear(200, 3, 9), 0, static (v, r) => r == 17 ? float.NaN : v);
        var d = Doctor.Diagnose(data, null, new TrainingOptions { Epochs = 5, ValidationSplit = 0 }, null, Quick);
        Assert.Equal(FindingCodes.NonFiniteValues, d.Findings[0].Code);
        Assert.All(d.Findings, static f => Assert.Null(f.Confirmation));
    }

    [Fact]
    public void Planted_data_failures_are_named_through_the_doctor()
    {
        var scaled = Scenarios.MapColumn(Scenarios.Linear(300, 3, 10), 0, static (v, _) => v * 1e4f);
        var raw = new TrainingOptions { Normalize = Normalization.None, Epochs = 20, ValidationSplit = 0 };
        AssertFound(Doctor.Diagnose(scaled, null, raw, null, Quick), FindingCodes.MixedScales);
        var constant = Scenarios.AddColumn(Scenarios.Linear(300, 3, 11), static (_, _) => 1f);
        AssertFound(Doctor.Diagnose(constant, null, new TrainingOptions { Epochs = 10, ValidationSplit = 0 }, null, new DoctorOptions(Confirm: false)), FindingCodes.ConstantFeature);
        var leak = Scenarios.AddColumn(Scenarios.Linear(300, 3, 12), static (label, r) => label + (r % 5) / 10f);
        AssertFound(Doctor.Diagnose(leak, null, new TrainingOptions { Epochs = 10, ValidationSplit = 0 }, null, new DoctorOptions(Confirm: false)), FindingCodes.PossibleLeakage);
    }
}
