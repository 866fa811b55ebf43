namespace Converge.Evaluation;

/// <summary>
/// Quality of a binary classifier's probabilities against 0/1 labels. A row is predicted positive
/// when its probability is ≥ <see cref="Threshold"/>. Ratios with a zero denominator are 0 (as
/// scikit-learn's zero_division=0); ranking metrics that need both classes are NaN when one is missing.
/// </summary>
public sealed record BinaryMetrics
{
    /// <summary>The smallest probability still predicted positive (a row is positive when p ≥ Threshold).</summary>
    public required double Threshold { get; init; }

    /// <summary>Number of rows evaluated.</summary>
    public required int Rows { get; init; }

    /// <summary>Number of rows labelled 1.</summary>
    public required int Positives { get; init; }

    /// <summary>Decision counts at <see cref="Threshold"/>.</summary>
    public required ConfusionMatrix ConfusionMatrix { get; init; }

    /// <summary>Fraction of rows predicted correctly: (TP + TN) / Rows.</summary>
    public required double Accuracy { get; init; }

    /// <summary>TP / (TP + FP): how many predicted positives are positive; 0 when nothing is predicted positive.</summary>
    public required double Precision { get; init; }

    /// <summary>TP / (TP + FN): how many positives are found; 0 when there are no positives.</summary>
    public required double Recall { get; init; }

    /// <summary>Harmonic mean of precision and recall, 2·TP / (2·TP + FP + FN); 0 when that denominator is 0.</summary>
    public required double F1 { get; init; }

    /// <summary>Area under the ROC curve: the probability that a random positive outscores a random negative, ties counting ½; NaN with one class only.</summary>
    public required double RocAuc { get; init; }

    /// <summary>Average precision (scikit-learn's): Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct thresholds, high to low; NaN without positives.</summary>
    public required double PrAuc { get; init; }

    /// <summary>Mean binary cross-entropy in double, probabilities clipped to [1e-15, 1 − 1e-15] as scikit-learn's log_loss.</summary>
    public required double LogLoss { get; init; }

    /// <summary>Brier score: the mean of (p − y)², 0 for perfect and 0.25 for a constant ½ (scikit-learn's brier_score_loss).</summary>
    public required double BrierScore { get; init; }

    /// <summary>
    /// Expected calibration error over <see cref="CalibrationCurve.DefaultBins"/> equal-width bins: Σ (nₖ / n)·|mean pₖ − fraction positive ₖ|
    /// (see <see cref="CalibrationCurve"/>); 0 when every bin's mean probability equals its rate of positives.
    /// </summary>
    public required double ExpectedCalibrationError { get; init; }

    private const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Computes every metric in O(n log n). <paramref name="labels"/> must be 0 or 1 and
    /// <paramref name="probabilities"/> in [0, 1]; a row is predicted positive when p ≥ <paramref name="threshold"/>.
    /// </summary>
    public static BinaryMetrics Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, double threshold = 0.5)
    {
        if (double.IsNaN(threshold)) throw new ArgumentOutOfRangeException(nameof(threshold), "BinaryMetrics: Threshold must be a number, got NaN.");
        var sorted = ScoredLabels.Sort(probabilities, labels, nameof(BinaryMetrics));

        int tp = 0, fp = 0;
        double logLoss = 0, brier = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var positive = labels[i] == 1;
            if (probabilities[i] >= threshold)
            {
                if (positive) tp++;
                else fp++;
            }
            logLoss += CrossEntropy(probabilities[i], positive);
            var error = probabilities[i] - (double)labels[i];
            brier += error * error;
        }
        var n = sorted.Count;
        var fn = sorted.Positives - tp;
        var tn = sorted.Negatives - fp;

        return new BinaryMetrics
        {
            Threshold = threshold,
            Rows = n,
            Positives = sorted.Positives,
            ConfusionMatrix = new ConfusionMatrix { TruePositives = tp, FalsePositives = fp, TrueNegatives = tn, FalseNegatives = fn },
            Accuracy = (double)(tp + tn) / n,
            Precision = Ratio(tp, tp + fp),
            Recall = Ratio(tp, tp + fn),
            F1 = Ratio(2 * tp, (2 * tp) + fp + fn),
            RocAuc = RocAucOf(sorted),
            PrAuc = AveragePrecisionOf(sorted),
            LogLoss = logLoss / n,
            BrierScore = brier / n,
            ExpectedCalibrationError = CalibrationCurve.Compute(probabilities, labels).ExpectedCalibrationError,
        };
    }

    /// <summary>
    /// −log p for a positive, −log(1 − p) for a negative, p clipped to [1e-15, 1 − 1e-15]: the one log-loss
    /// clamp in Converge (the doctor's base-rate and initial-loss checks use it too).
    /// </summary>
    public static double CrossEntropy(double probability, bool positive)
    {
        var p = Math.Clamp(probability, LogLossEpsilon, 1 - LogLossEpsilon);
        return positive ? -Math.Log(p) : -Math.Log(1 - p);
    }

    internal static double Ratio(int numerator, int denominator) => denominator == 0 ? 0 : (double)numerator / denominator;

    /// <summary>
    /// Mann–Whitney: each positive scores one per negative below it and ½ per negative tied with it.
    /// The count is a multiple of ½, so it is exact in double and only the final division rounds.
    /// </summary>
    private static double RocAucOf(ScoredLabels s)
    {
        if (s.Positives == 0 || s.Negatives == 0) return double.NaN;
        var wins = 0d;
        long negativesBelow = 0;
        for (var start = 0; start < s.Count;)
        {
            var end = GroupEnd(s.Scores, start);
            long pos = 0, neg = 0;
            for (var i = start; i < end; i++)
                if (s.IsPositive[i]) pos++;
                else neg++;
            wins += (pos * negativesBelow) + (0.5 * pos * neg);
            negativesBelow += neg;
            start = end;
        }
        return wins / ((double)s.Positives * s.Negatives);
    }

    private static double AveragePrecisionOf(ScoredLabels s)
    {
        if (s.Positives == 0) return double.NaN;
        int tp = 0, fp = 0;
        double previousRecall = 0, sum = 0;
        // High to low: lowering the threshold to each distinct score admits that whole tie group at once.
        for (var end = s.Count; end > 0;)
        {
            var start = GroupStart(s.Scores, end);
            for (var i = start; i < end; i++)
                if (s.IsPositive[i]) tp++;
                else fp++;
            var recall = (double)tp / s.Positives;
            sum += (recall - previousRecall) * ((double)tp / (tp + fp));
            previousRecall = recall;
            end = start;
        }
        return sum;
    }

    /// <summary>One past the last index whose score equals <paramref name="scores"/>[start].</summary>
    internal static int GroupEnd(float[] scores, int start)
    {
        var end = start + 1;
        while (end < scores.Length && scores[end] == scores[start]) end++;
        return end;
    }

    /// <summary>The first index whose score equals <paramref name="scores"/>[end − 1].</summary>
    internal static int GroupStart(float[] scores, int end)
    {
        var start = end - 1;
        while (start > 0 && scores[start - 1] == scores[end - 1]) start--;
        return start;
    }

    /// <summary>The metrics under the snake_case keys of JSON reports and model files (accuracy, roc_auc, log_loss, …).</summary>
    public Dictionary<string, double> ToDictionary() => new(StringComparer.Ordinal)
    {
        ["accuracy"] = Accuracy,
        ["precision"] = Precision,
        ["recall"] = Recall,
        ["f1"] = F1,
        ["roc_auc"] = RocAuc,
        ["pr_auc"] = PrAuc,
        ["log_loss"] = LogLoss,
        ["threshold"] = Threshold,
        ["rows"] = Rows,
    };
}
