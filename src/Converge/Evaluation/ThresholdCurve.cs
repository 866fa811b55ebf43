namespace Converge.Evaluation;

/// <summary>
/// The decision counts at every distinct probability taken as the threshold, from the highest to the
/// lowest: what ROC and precision–recall curves and metrics-versus-threshold views are drawn from
/// (scikit-learn's <c>roc_curve</c> and <c>precision_recall_curve</c> thresholds, without dropping
/// collinear points).
/// </summary>
public sealed record ThresholdCurve
{
    /// <summary>One point per distinct probability, in decreasing order of threshold.</summary>
    public required IReadOnlyList<ThresholdPoint> Points { get; init; }

    /// <summary>Rows labelled 1.</summary>
    public required int Positives { get; init; }

    /// <summary>Rows labelled 0.</summary>
    public required int Negatives { get; init; }

    /// <summary>Computes the curve in O(n log n); labels must be 0 or 1 and probabilities in [0, 1].</summary>
    public static ThresholdCurve Compute(ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels)
    {
        var s = ScoredLabels.Sort(probabilities, labels, nameof(ThresholdCurve));
        var points = new List<ThresholdPoint>();
        int tp = 0, fp = 0;
        for (var end = s.Count; end > 0;)
        {
            var start = BinaryMetrics.GroupStart(s.Scores, end);
            for (var i = start; i < end; i++)
                if (s.IsPositive[i]) tp++;
                else fp++;
            points.Add(new ThresholdPoint(s.Scores[start], tp, fp, s.Positives - tp, s.Negatives - fp));
            end = start;
        }
        return new ThresholdCurve { Points = points, Positives = s.Positives, Negatives = s.Negatives };
    }

    /// <summary>
    /// The ROC curve as (false positive rate, true positive rate), starting at (0, 0) and ending at (1, 1);
    /// empty when one class is missing.
    /// </summary>
    public IReadOnlyList<(double Fpr, double Tpr)> Roc()
    {
        if (Positives == 0 || Negatives == 0) return [];
        var roc = new List<(double, double)>(Points.Count + 1) { (0, 0) };
        foreach (var p in Points) roc.Add(((double)p.FalsePositives / Negatives, (double)p.TruePositives / Positives));
        return roc;
    }

    /// <summary>
    /// The precision–recall curve as (recall, precision), from the highest threshold down, starting at
    /// recall 0 with the first point's precision (the step the average precision integrates); empty without positives.
    /// </summary>
    public IReadOnlyList<(double Recall, double Precision)> PrecisionRecall()
    {
        if (Positives == 0 || Points.Count == 0) return [];
        var pr = new List<(double, double)>(Points.Count + 1) { (0, Points[0].Precision) };
        foreach (var p in Points) pr.Add((p.Recall, p.Precision));
        return pr;
    }
}

/// <summary>Decision counts when rows with probability ≥ <see cref="Threshold"/> are predicted positive.</summary>
/// <param name="Threshold">The threshold (one of the probabilities).</param>
/// <param name="TruePositives">Positives at or above the threshold.</param>
/// <param name="FalsePositives">Negatives at or above the threshold.</param>
/// <param name="FalseNegatives">Positives below the threshold.</param>
/// <param name="TrueNegatives">Negatives below the threshold.</param>
public sealed record ThresholdPoint(double Threshold, int TruePositives, int FalsePositives, int FalseNegatives, int TrueNegatives)
{
    /// <summary>TP / (TP + FP); 0 when nothing is predicted positive.</summary>
    public double Precision => BinaryMetrics.Ratio(TruePositives, TruePositives + FalsePositives);

    /// <summary>TP / (TP + FN); 0 without positives.</summary>
    public double Recall => BinaryMetrics.Ratio(TruePositives, TruePositives + FalseNegatives);

    /// <summary>2·TP / (2·TP + FP + FN); 0 when that denominator is 0.</summary>
    public double F1 => BinaryMetrics.Ratio(2 * TruePositives, (2 * TruePositives) + FalsePositives + FalseNegatives);

    /// <summary>(TP + TN) / rows.</summary>
    public double Accuracy => BinaryMetrics.Ratio(TruePositives + TrueNegatives, TruePositives + FalsePositives + FalseNegatives + TrueNegatives);
}
