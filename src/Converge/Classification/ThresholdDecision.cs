using Converge.Evaluation;

namespace Converge.Classification;

/// <summary>
/// The decision threshold and the validation metrics at it. The scores are the rows the model did not
/// train on: the held-out split, or an ensemble's out-of-fold predictions. F1 needs a positive row, and a
/// tiny split may hold none: then the best-F1 search is skipped and the rule falls back to 0.5. With a
/// calibration the threshold is searched on the saved model's own (calibrated) scores of those rows and
/// the metrics use the cross-validated ones (see <see cref="CalibrationDecision"/>).
/// </summary>
/// <param name="Threshold">The threshold the model will use.</param>
/// <param name="Metrics">Validation metrics at <paramref name="Threshold"/>; null without validation rows.</param>
/// <param name="BestF1Threshold">The threshold that maximizes validation F1, or null.</param>
/// <param name="BestF1">That F1, or null.</param>
internal sealed record ThresholdDecision(double Threshold, BinaryMetrics? Metrics, double? BestF1Threshold, double? BestF1)
{
    public static ThresholdDecision Choose(float[] thresholdScores, float[] metricScores, float[] labels, ThresholdRule rule)
    {
        if (labels.Length == 0) return new(0.5, null, null, null);
        ThresholdChoice? best = labels.Contains(1f) ? ThresholdSearch.BestF1(thresholdScores, labels) : null;
        var threshold = rule == ThresholdRule.BestF1 && best is not null ? best.Threshold : 0.5;
        return new(threshold, BinaryMetrics.Compute(metricScores, labels, threshold), best?.Threshold, best?.F1);
    }
}
