namespace Converge.Evaluation;

/// <summary>Picks a decision threshold from validation probabilities and labels.</summary>
public static class ThresholdSearch
{
    /// <summary>
    /// The threshold that maximizes F1, scanning every distinct probability as a candidate (O(n log n)).
    /// The result is one of the probabilities, so <see cref="BinaryMetrics.Compute"/> at that threshold gives
    /// the same F1. Among equal F1 values the highest threshold wins. Needs at least one positive label.
    /// </summary>
    public static ThresholdChoice BestF1(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        var s = ScoredLabels.Sort(probabilities, labels, "ThresholdSearch");
        if (s.Positives == 0)
            throw new ArgumentException($"ThresholdSearch: F1 is 0 at every threshold when no label is 1 (all {s.Count} rows are 0).", nameof(labels));

        int tp = 0, fp = 0, bestTp = 0, bestFp = 0;
        var bestF1 = -1d;
        var bestThreshold = double.NaN;
        for (var end = s.Count; end > 0;)
        {
            var start = BinaryMetrics.GroupStart(s.Scores, end);
            for (var i = start; i < end; i++)
                if (s.IsPositive[i]) tp++;
                else fp++;
            // 2·TP + FP + FN = TP + FP + positives: the same integers BinaryMetrics divides, so the same double.
            var f1 = BinaryMetrics.Ratio(2 * tp, tp + fp + s.Positives);
            if (f1 > bestF1)
            {
                (bestF1, bestThreshold, bestTp, bestFp) = (f1, s.Scores[start], tp, fp);
            }
            end = start;
        }
        return new ThresholdChoice
        {
            Threshold = bestThreshold,
            F1 = bestF1,
            Precision = BinaryMetrics.Ratio(bestTp, bestTp + bestFp),
            Recall = BinaryMetrics.Ratio(bestTp, s.Positives),
        };
    }
}
