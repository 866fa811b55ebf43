using Converge.Evaluation;

namespace Converge.Tests.Evaluation;

public class BinaryMetricsTests
{
    [Fact]
    public void Small_example_matches_hand_computed_values()
    {
        // p = [0.1, 0.4, 0.35, 0.8], y = [0, 0, 1, 1], threshold 0.5: only 0.8 is predicted positive.
        // TP 1, FP 0, TN 2, FN 1 → accuracy 3/4, precision 1, recall 1/2, F1 2·1/(2·1 + 0 + 1) = 2/3.
        // ROC AUC: positive 0.35 beats 0.1 but not 0.4, positive 0.8 beats both → 3 of 4 pairs.
        // AP, high to low: 0.8 (+) R ½ P 1 → ½; 0.4 (−) adds no recall; 0.35 (+) R 1 P ⅔ → ½·⅔; total 5/6.
        float[] p = [0.1f, 0.4f, 0.35f, 0.8f];
        float[] y = [0, 0, 1, 1];
        var m = BinaryMetrics.Compute(p, y);
        Assert.Equal(new ConfusionMatrix { TruePositives = 1, FalsePositives = 0, TrueNegatives = 2, FalseNegatives = 1 }, m.ConfusionMatrix);
        Assert.Equal(0.5, m.Threshold);
        Assert.Equal(4, m.Rows);
        Assert.Equal(2, m.Positives);
        Assert.Equal(0.75, m.Accuracy);
        Assert.Equal(1.0, m.Precision);
        Assert.Equal(0.5, m.Recall);
        Assert.Equal(2.0 / 3, m.F1, 1e-15);
        Assert.Equal(0.75, m.RocAuc);
        Assert.Equal(5.0 / 6, m.PrAuc, 1e-15);
        // −(ln(1 − 0.1) + ln(1 − 0.4) + ln 0.35 + ln 0.8)/4, with the float32 inputs widened to double.
        var expected = -(Math.Log(1 - (double)0.1f) + Math.Log(1 - (double)0.4f) + Math.Log(0.35f) + Math.Log(0.8f)) / 4;
        Assert.Equal(expected, m.LogLoss, 1e-15);
    }

    [Fact]
    public void Ties_count_half_in_roc_auc_and_enter_precision_recall_as_one_step()
    {
        // p = [0.2, 0.6, 0.6, 0.9], y = [0, 0, 1, 1]. Pairs: 0.6(+) vs 0.2 win, vs 0.6(−) tie ½; 0.9(+) wins twice → 3.5/4.
        // Rank-sum check: ranks 1, 2.5, 2.5, 4; positives 2.5 + 4 − 2·3/2 = 3.5.
        // AP: 0.9 → R ½ P 1; the 0.6 pair together → R 1 P ⅔; ½ + ½·⅔ = 5/6.
        var m = BinaryMetrics.Compute([0.2f, 0.6f, 0.6f, 0.9f], [0, 0, 1, 1]);
        Assert.Equal(0.875, m.RocAuc);
        Assert.Equal(5.0 / 6, m.PrAuc, 1e-15);
    }

    [Fact]
    public void All_scores_tied_gives_an_auc_of_one_half()
    {
        // Every pair ties; AP is the positive rate, 2/4.
        var m = BinaryMetrics.Compute([0.3f, 0.3f, 0.3f, 0.3f], [0, 1, 0, 1]);
        Assert.Equal(0.5, m.RocAuc);
        Assert.Equal(0.5, m.PrAuc);
    }

    [Fact]
    public void Perfect_classifier_scores_one_everywhere()
    {
        var m = BinaryMetrics.Compute([0.1f, 0.2f, 0.8f, 0.9f], [0, 0, 1, 1]);
        Assert.Equal(1.0, m.Accuracy);
        Assert.Equal(1.0, m.F1);
        Assert.Equal(1.0, m.RocAuc);
        Assert.Equal(1.0, m.PrAuc);
    }

    [Fact]
    public void Inverted_classifier_scores_zero_auc()
    {
        // AP, high to low: 0.9 (−), 0.8 (−) add no recall; 0.2 (+) R ½ P ⅓; 0.1 (+) R 1 P ½ → ⅙ + ¼ = 5/12.
        var m = BinaryMetrics.Compute([0.9f, 0.8f, 0.2f, 0.1f], [0, 0, 1, 1]);
        Assert.Equal(0.0, m.Accuracy);
        Assert.Equal(0.0, m.Precision);
        Assert.Equal(0.0, m.Recall);
        Assert.Equal(0.0, m.F1);
        Assert.Equal(0.0, m.RocAuc);
        Assert.Equal(5.0 / 12, m.PrAuc, 1e-15);
    }

    [Fact]
    public void One_class_only_gives_nan_rankings_and_zero_ratios()
    {
        var m = BinaryMetrics.Compute([0.1f, 0.2f, 0.3f], [0, 0, 0]);
        Assert.True(double.IsNaN(m.RocAuc));
        Assert.True(double.IsNaN(m.PrAuc));
        Assert.Equal(0.0, m.Precision);   // nothing predicted positive: 0/0 → 0 (sklearn's zero_division=0)
        Assert.Equal(0.0, m.Recall);      // no positives: 0/0 → 0
        Assert.Equal(0.0, m.F1);
        Assert.Equal(1.0, m.Accuracy);

        var allPositive = BinaryMetrics.Compute([0.1f, 0.9f], [1, 1]);
        Assert.True(double.IsNaN(allPositive.RocAuc));
        Assert.Equal(1.0, allPositive.PrAuc);
    }

    [Fact]
    public void A_probability_equal_to_the_threshold_is_predicted_positive()
    {
        var m = BinaryMetrics.Compute([0.25f, 0.5f], [0, 1], threshold: 0.25);
        Assert.Equal(1, m.ConfusionMatrix.TruePositives);
        Assert.Equal(1, m.ConfusionMatrix.FalsePositives);
        Assert.Equal(0.5, m.Precision);
    }

    [Fact]
    public void Log_loss_clips_probabilities_at_1e_minus_15()
    {
        // p = 0 with y = 1 costs −ln(1e-15) = 15·ln 10; p = 1 with y = 1 costs −ln(1 − 1e-15) ≈ 1e-15.
        var m = BinaryMetrics.Compute([0f, 1f], [1, 1]);
        Assert.Equal(((15 * Math.Log(10)) + 1e-15) / 2, m.LogLoss, 1e-13);
    }

    [Fact]
    public void Bad_inputs_are_rejected_naming_the_value()
    {
        Assert.Contains("got 2 probabilities and 1 labels",
            Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([0.1f, 0.2f], [1])).Message, StringComparison.Ordinal);
        Assert.Contains("labels[1] must be 0 or 1, got 2",
            Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.Compute([0.1f, 0.2f], [1, 2])).Message, StringComparison.Ordinal);
        Assert.Contains("probabilities[0] must be in [0, 1], got NaN",
            Assert.Throws<ArgumentOutOfRangeException>(() => BinaryMetrics.Compute([float.NaN], [1])).Message, StringComparison.Ordinal);
        Assert.Contains("no rows",
            Assert.Throws<ArgumentException>(() => BinaryMetrics.Compute([], [])).Message, StringComparison.Ordinal);
    }

    [Theory]
    // Numbers from scikit-learn 1.2.1 (Debian python3-sklearn); the script is in SyntheticScores.
    [InlineData(false, 91, 0.8467587458413147, 0.8226154774709198, 0.49086053796504714, 0.7593582887700535)]
    [InlineData(true, 89, 0.8421905051118534, 0.8044642123568915, 0.49599835344371557, 0.7567567567567568)]
    public void Agrees_with_scikit_learn(bool quantized, int positives, double rocAuc, double averagePrecision, double logLoss, double f1)
    {
        var (p, y) = SyntheticScores.Make(quantized);
        var m = BinaryMetrics.Compute(p, y);
        Assert.Equal(positives, m.Positives);   // guards against the two generators drifting apart
        // sklearn integrates the ROC curve by trapezoids and sums AP in another order: agreement to rounding.
        Assert.Equal(rocAuc, m.RocAuc, 1e-14);
        Assert.Equal(averagePrecision, m.PrAuc, 1e-14);
        Assert.Equal(logLoss, m.LogLoss, 1e-14);
        Assert.Equal(f1, m.F1, 1e-15);
    }

    [Fact]
    public void Brier_score_and_ece_match_scikit_learn_on_the_reference_table()
    {
        var (_, labels) = SklearnReference.Table;
        var m = BinaryMetrics.Compute(SklearnReference.Probabilities, labels);
        Assert.Equal(SklearnReference.Expected.GetProperty("brier_score").GetDouble(), m.BrierScore, 1e-14);
        Assert.Equal(SklearnReference.Expected.GetProperty("calibration").GetProperty("ece").GetDouble(), m.ExpectedCalibrationError, 1e-12);
    }

    [Fact]
    public void Brier_score_is_the_mean_squared_gap()
    {
        // (0.1² + 0.4² + 0.65² + 0.2²) / 4 with the float32 inputs widened to double.
        var m = BinaryMetrics.Compute([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        double Sq(double v) => v * v;
        Assert.Equal((Sq(0.1f) + Sq(0.4f) + Sq(1 - (double)0.35f) + Sq(1 - (double)0.8f)) / 4, m.BrierScore, 1e-15);
    }
}
