using System.Globalization;

namespace Converge.Cli.Demo;

/// <summary>Turns a <see cref="DemoResult"/> into a few sentences, every number computed from the runs.</summary>
public static class DemoVerdict
{
    /// <summary>The verdict lines; a line whose scenarios were not run is left out.</summary>
    public static IReadOnlyList<string> Describe(DemoResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var lines = new List<string>();
        var converged = result.Scenarios.Where(static s => s.Converged).Select(static s => s.Scenario.Number).ToList();
        var failed = result.Scenarios.Where(static s => !s.Converged).Select(static s => s.Scenario.Number).ToList();
        lines.Add(Invariant($"Converged (final loss < {DemoScenarios.ConvergedLoss}): {List(converged)}; did not: {List(failed)}."));

        var raw = result.Find(DemoScenarios.HeartRateRaw.Number);
        var standardized = result.Find(DemoScenarios.HeartRateStandardized.Number);
        var batchNorm = result.Find(DemoScenarios.HeartRateBatchNorm.Number);
        if (raw is not null && standardized is not null)
        {
            var behindBatchNorm = batchNorm is null ? "" : Invariant($" and {batchNorm.SaturatedAtStart:P0} behind BatchNorm1d");
            lines.Add(Invariant(
                $"Why 2 fails: at initialization {raw.SaturatedAtStart:P0} of the hidden sigmoid outputs are saturated (< 0.01 or > 0.99) on raw bpm (≈{Mean(raw):F0}), against {standardized.SaturatedAtStart:P0} on standardized input{behindBatchNorm}; a saturated sigmoid passes almost no gradient, so the first layer's weight gradient at step 1 is {Ratio(standardized.FirstLayerGradientNorm, raw.FirstLayerGradientNorm)} smaller ({raw.FirstLayerGradientNorm:G2} vs {standardized.FirstLayerGradientNorm:G2}). PyTorch's default init, U(±1/√in), assumes centred, unit-scale inputs."));
            lines.Add(Invariant(
                $"After {raw.Scenario.Epochs:N0} epochs at lr {raw.Scenario.LearningRate} the raw run is at loss {raw.FinalLoss:F4}, {raw.FinalLoss / standardized.FinalLoss:F1}× the standardized run's {standardized.FinalLoss:F4} after {standardized.Scenario.Epochs:N0} epochs at lr {standardized.Scenario.LearningRate}."));
        }
        var logits = result.Find(DemoScenarios.HeartRateLogits.Number);
        if (logits is not null && standardized is not null)
            lines.Add(Invariant(
                $"BceWithLogitsLoss on the logit (5) ends at {logits.FinalLoss:F4} against {standardized.FinalLoss:F4} for BCELoss after a sigmoid (3): the same loss, computed without the sigmoid's rounding, so it stays usable when outputs saturate."));
        var stepped = result.Find(DemoScenarios.HeartRateRawStepped.Number);
        if (stepped is not null && raw is not null)
        {
            var rates = string.Join(" → ", stepped.LearningRates.Distinct().Select(static r => r.ToString("G3", CultureInfo.InvariantCulture)));
            var effect = stepped.FinalLoss < 0.9 * raw.FinalLoss ? Invariant($"it helps: {Ratio(raw.FinalLoss, stepped.FinalLoss)} lower")
                : stepped.FinalLoss > 1.1 * raw.FinalLoss ? Invariant($"it hurts: {Ratio(stepped.FinalLoss, raw.FinalLoss)} higher")
                : "no real difference";
            lines.Add(Invariant(
                $"Stepped learning rate on raw inputs (6: {rates}, every {stepped.Scenario.StepSize:N0} epochs) ends at {stepped.FinalLoss:F4} against {raw.FinalLoss:F4} with the constant lr {raw.Scenario.LearningRate} (2): {effect}; epoch reaching loss {DemoScenarios.ConvergedLoss}: {Epoch(stepped.EpochsToConverge)} (2: {Epoch(raw.EpochsToConverge)}; standardized: {Epoch(standardized?.EpochsToConverge)})."));
        }
        foreach (var stuck in result.Scenarios.Where(static s => Math.Abs(s.FinalLoss - LabelEntropy(s.Labels)) < 1e-3))
            lines.Add(Invariant(
                $"Scenario {stuck.Scenario.Number} is stuck at the label entropy {LabelEntropy(stuck.Labels):F4}: it predicts the base rate for every row ({stuck.SaturatedAtEnd:P0} of hidden outputs saturated at the end). Saturated at +∞ a float32 sigmoid is exactly 1 and its gradient exactly 0, so no learning rate or schedule can revive it; try another --seed to see partial learning."));
        return lines;
    }

    /// <summary>The loss of predicting the base rate q for every row: −q·ln q − (1 − q)·ln(1 − q).</summary>
    public static double LabelEntropy(float[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var q = labels.Average(static l => (double)l);
        return q is <= 0 or >= 1 ? 0 : -q * Math.Log(q) - (1 - q) * Math.Log(1 - q);
    }

    private static string Ratio(double larger, double smaller) =>
        smaller <= 0 ? "infinitely" : Invariant($"{larger / smaller:G3}×");

    private static string Epoch(int? epoch) => epoch is { } e ? e.ToString("N0", CultureInfo.InvariantCulture) : "never";

    private static string List(List<int> numbers) => numbers.Count == 0 ? "none" : string.Join(", ", numbers);

    private static double Mean(ScenarioResult result) => result.Inputs.Average(static v => (double)v);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
