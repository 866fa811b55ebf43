using Converge.Data;
using Converge.Diagnosis;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Tests.Diagnosis;

public class DataChecksTests
{
    private static readonly TrainingOptions Raw = new() { Normalize = Normalization.None };

    private static Finding? Find(IReadOnlyList<Finding> findings, string code) => findings.FirstOrDefault(f => f.Code == code);

    [Fact]
    public void Raw_heart_rate_is_unscaled_input_a_warning_only_when_fed_raw()
    {
        var hr = Scenarios.HeartRate();
        var raw = Find(DataChecks.Run(hr, ["bpm"], Raw), FindingCodes.UnscaledInput);
        var standardized = Find(DataChecks.Run(hr, ["bpm"], new TrainingOptions()), FindingCodes.UnscaledInput);
        Assert.Equal(Severity.Warning, raw?.Severity);
        Assert.Equal(Severity.Info, standardized?.Severity);
        // Evidence against an independent computation: Statistics (population std, as the scaler uses).
        Assert.Equal(Statistics.Mean(hr.Features), raw!.Values["bpm.mean"], 1e-6);
        Assert.Equal(Statistics.Std(hr.Features, unbiased: false), raw.Values["bpm.std"], 1e-6);
        Assert.Contains("--normalize standard", raw.Remedy, StringComparison.Ordinal);
        Assert.Contains("BatchNorm1d", raw.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public void A_feature_scaled_ten_thousand_times_is_mixed_scales()
    {
        var data = Scenarios.MapColumn(Scenarios.Linear(500, 4, 1), 0, static (v, _) => v * 1e4f);
        var findings = DataChecks.Run(data, null, Raw);
        var mixed = Find(findings, FindingCodes.MixedScales);
        Assert.Equal(Severity.Warning, mixed?.Severity);
        var stds = Statistics.ColumnStds(data.Features, data.Rows, data.Cols, unbiased: false);
        Assert.Equal(stds.Max() / stds.Min(), mixed!.Values["stdRatio"], 1e-6 * mixed.Values["stdRatio"]);
        Assert.Null(Find(DataChecks.Run(Scenarios.Linear(500, 4, 1), null, Raw), FindingCodes.MixedScales));
    }

    [Fact]
    public void A_constant_feature_is_named_in_the_remedy()
    {
        var data = Scenarios.AddColumn(Scenarios.Linear(300, 3, 2), static (_, _) => 7f);
        var constant = Find(DataChecks.Run(data, ["a", "b", "c", "seven"]), FindingCodes.ConstantFeature);
        Assert.Equal(Severity.Warning, constant?.Severity);
        Assert.Equal("--ignore seven", constant!.Remedy);
    }

    [Fact]
    public void NaN_and_infinity_in_array_data_are_an_error_counted_per_feature()
    {
        var data = Scenarios.MapColumn(Scenarios.Linear(200, 3, 3), 1, static (v, r) => r % 10 == 0 ? float.NaN : r == 5 ? float.PositiveInfinity : v);
        var finding = Find(DataChecks.Run(data), FindingCodes.NonFiniteValues);
        Assert.Equal(Severity.Error, finding?.Severity);
        Assert.Equal(200 / 10 + 1, finding!.Values["f2.nonFinite"]);
    }

    [Fact]
    public void Severe_imbalance_is_a_warning_unless_a_positive_weight_is_set()
    {
        var data = Scenarios.Linear(1000, 4, 4, positiveRate: 0.04);
        var plain = Find(DataChecks.Run(data), FindingCodes.ClassImbalance);
        Assert.Equal(Severity.Warning, plain?.Severity);
        Assert.Equal(data.PositiveRate, plain!.Values["minorityShare"], 12);
        Assert.Equal(Severity.Info, Find(DataChecks.Run(data, null, new TrainingOptions { PosWeight = double.NaN }), FindingCodes.ClassImbalance)?.Severity);
        Assert.Null(Find(DataChecks.Run(Scenarios.Linear(1000, 4, 4, positiveRate: 0.3)), FindingCodes.ClassImbalance));
    }

    [Fact]
    public void A_feature_that_alone_separates_the_classes_is_possible_leakage()
    {
        var data = Scenarios.AddColumn(Scenarios.Linear(400, 3, 5), static (label, r) => label * 2 + (r % 7) / 10f);
        var leak = Find(DataChecks.Run(data), FindingCodes.PossibleLeakage);
        Assert.Equal(Severity.Warning, leak?.Severity);
        var threshold = leak!.Values["f4.threshold"];
        Assert.InRange(threshold, 0.6, 2.0);   // between the largest negative (0.6) and the smallest positive (2.0)
        Assert.Null(Find(DataChecks.Run(Scenarios.Linear(400, 3, 5)), FindingCodes.PossibleLeakage));
    }

    [Fact]
    public void A_single_separating_feature_is_only_an_info()
    {
        var findings = DataChecks.Run(Scenarios.HeartRate());
        Assert.Null(Find(findings, FindingCodes.PossibleLeakage));
        Assert.InRange(Find(findings, FindingCodes.SeparableByOneFeature)!.Values["f1.threshold"], 90, 92);
    }

    [Fact]
    public void Duplicate_rows_are_counted()
    {
        var original = Scenarios.Linear(100, 3, 6);
        var doubled = original.Select([.. Enumerable.Range(0, 100), .. Enumerable.Range(0, 20)]);
        var finding = Find(DataChecks.Run(doubled), FindingCodes.DuplicateRows);
        Assert.Equal(20, finding?.Values["duplicates"]);
        Assert.Null(Find(DataChecks.Run(original), FindingCodes.DuplicateRows));
    }

    [Fact]
    public void Many_more_parameters_than_rows_is_too_few_rows()
    {
        var data = Scenarios.Linear(40, 10, 7);
        var options = new TrainingOptions { Hidden = [128, 128], Patience = 0 };
        var finding = Find(DataChecks.Run(data, null, options), FindingCodes.TooFewRows);
        Assert.Equal(Severity.Warning, finding?.Severity);
        // With early stopping on (the default patience and split) the same excess is only worth a note.
        Assert.Equal(Severity.Info, Find(DataChecks.Run(data, null, options with { Patience = 30 }), FindingCodes.TooFewRows)?.Severity);
        var built = new NetworkSpec(10, options.Hidden, options.Activation, false, false).Build(new Generator(1));
        Assert.Equal(built.Parameters().Sum(static p => p.Length), finding!.Values["parameters"]);
    }

    [Fact]
    public void The_checks_are_linear_in_the_rows()
    {
        var data = Scenarios.Linear(20_000, 8, 8);
        var time = System.Diagnostics.Stopwatch.StartNew();
        DataChecks.Run(data);
        Assert.True(time.Elapsed.TotalSeconds < 2, $"20k × 8 took {time.Elapsed.TotalSeconds:F2} s");
    }
}
