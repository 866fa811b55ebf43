using System.Globalization;
using Converge.Training;
using static Converge.Diagnosis.FindingCodes;

namespace Converge.Diagnosis;

/// <summary>The monitor-sample part of <see cref="DynamicsChecks"/>: gradient norms per layer and first-layer movement.</summary>
internal static class GradientChecks
{
    public static void Run(List<(int Epoch, MonitorSample Sample)> samples, TrainingOptions options, List<Finding> findings)
    {
        Exploding(samples, options, findings);
        Vanishing(samples, options, findings);
        BiasOutpacesWeights(samples, options, findings);
    }

    private static void Exploding(List<(int Epoch, MonitorSample Sample)> samples, TrainingOptions options, List<Finding> findings)
    {
        var norms = samples.Select(static s => (s.Epoch, Norm: Math.Sqrt(s.Sample.GradientNorms.Values.Sum(static g => g * g)))).ToList();
        var worst = norms.MaxBy(static n => double.IsNaN(n.Norm) ? double.PositiveInfinity : n.Norm);
        if (!(worst.Norm > DynamicsChecks.ExplodingNorm) && !double.IsNaN(worst.Norm)) return;
        findings.Add(new Finding(Severity.Warning, ExplodingGradients, $"The gradient norm reached {G(worst.Norm)} (epoch {worst.Epoch}).",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["maxGradientNorm"] = worst.Norm, ["epoch"] = worst.Epoch, ["firstGradientNorm"] = norms[0].Norm },
            (worst.Epoch == norms[0].Epoch
                ? $"global gradient norm {G(worst.Norm)} at epoch {worst.Epoch}"
                : $"global gradient norm {G(norms[0].Norm)} at epoch {norms[0].Epoch}, {G(worst.Norm)} at epoch {worst.Epoch}") +
            $" (threshold {G(DynamicsChecks.ExplodingNorm)}).",
            "Huge gradients make each step jump far: the loss bounces or overflows. Unscaled inputs multiply the first layer's gradient by their magnitude.",
            $"--clip 1 (clip the global gradient norm), a lower --lr ({(options.LearningRate / 10).ToString("G3", CultureInfo.InvariantCulture)}), and --normalize standard."));
    }

    private static void Vanishing(List<(int Epoch, MonitorSample Sample)> samples, TrainingOptions options, List<Finding> findings)
    {
        if (options.Hidden.Length == 0) return;
        var ratios = new List<double>();
        foreach (var (_, sample) in samples)
        {
            var weights = LinearWeightNorms(sample.GradientNorms, options.Normalize == Normalization.BatchNorm);
            if (weights.Count < 2 || !(weights[^1] > 0)) continue;
            ratios.Add(weights[0] / weights[^1]);
        }
        if (ratios.Count == 0) return;
        var median = Median(ratios);
        if (!(median < DynamicsChecks.VanishingRatio)) return;
        findings.Add(new Finding(Severity.Warning, VanishingGradients, $"The first layer's gradient is {G(median)} times the last layer's: the early layers barely learn.",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["medianFirstToLastRatio"] = median, ["samples"] = ratios.Count },
            $"median ‖∇W₁‖/‖∇W_last‖ over {ratios.Count} samples = {G(median)} (threshold {G(DynamicsChecks.VanishingRatio)}).",
            "Each saturated sigmoid/tanh or dead ReLU between the output and the first layer multiplies the gradient by a small factor.",
            options.Activation is Activation.Sigmoid or Activation.Tanh ? "--activation relu (or leaky-relu), and --normalize standard." : "--activation leaky-relu, and --normalize standard."));
    }

    private static void BiasOutpacesWeights(List<(int Epoch, MonitorSample Sample)> samples, TrainingOptions options, List<Finding> findings)
    {
        var ratios = samples.Select(static s => s.Sample)
            .Where(static s => s.FirstLayerWeightChange > 0 && double.IsFinite(s.FirstLayerBiasChange))
            .Select(static s => s.FirstLayerBiasChange / s.FirstLayerWeightChange).ToList();
        if (ratios.Count == 0) return;
        var median = Median(ratios);
        if (median < DynamicsChecks.BiasToWeightRatio) return;
        var raw = options.Normalize == Normalization.None;
        findings.Add(new Finding(raw ? Severity.Warning : Severity.Info, FindingCodes.BiasOutpacesWeights, $"The first layer's bias moves {G(median)} times faster than its weights (relative change).",
            new Dictionary<string, double>(StringComparer.Ordinal) { ["medianBiasToWeightChange"] = median, ["samples"] = ratios.Count },
            $"median (‖Δb‖/‖b‖)/(‖ΔW‖/‖W‖) over {ratios.Count} samples = {G(median)} (threshold {G(DynamicsChecks.BiasToWeightRatio)}).",
            "The mark of unscaled input: with inputs far from 0 the weights must stay tiny while the bias travels far to centre them, so the network spends its steps shifting instead of learning the pattern.",
            raw ? "--normalize standard, or --normalize batchnorm (new BatchNorm1d(n) before the first Linear)." : "Nothing to fix if the loss converges; otherwise check the data findings."));
    }

    /// <summary>Gradient norms of the Linear weights in layer order; names are "index.weight" from Sequential.</summary>
    private static List<double> LinearWeightNorms(IReadOnlyDictionary<string, double> norms, bool inputBatchNorm) =>
        [.. norms.Where(static kv => kv.Key.EndsWith(".weight", StringComparison.Ordinal))
            .Select(static kv => (Index: int.TryParse(kv.Key.AsSpan(0, kv.Key.IndexOf('.', StringComparison.Ordinal)), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue, kv.Value))
            .Where(x => !(inputBatchNorm && x.Index == 0))
            .OrderBy(static x => x.Index)
            .Select(static x => x.Value)];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
