using Converge.Evaluation;

namespace Converge.Tests.Evaluation;

public class ThresholdSearchTests
{
    [Fact]
    public void Finds_the_f1_maximum_by_hand()
    {
        // p = [0.1, 0.4, 0.35, 0.8], y = [0, 0, 1, 1], F1 = 2·TP/(TP + FP + 2) at each candidate:
        // ≥0.8: 2/3; ≥0.4: 2/4; ≥0.35: 4/5; ≥0.1: 4/6. Best 0.35 with precision 2/3, recall 1.
        var best = ThresholdSearch.BestF1([0.1f, 0.4f, 0.35f, 0.8f], [0, 0, 1, 1]);
        Assert.Equal((double)0.35f, best.Threshold);
        Assert.Equal(0.8, best.F1, 1e-15);
        Assert.Equal(2.0 / 3, best.Precision, 1e-15);
        Assert.Equal(1.0, best.Recall);
    }

    [Fact]
    public void Equal_f1_prefers_the_highest_threshold()
    {
        // p = [0.9, 0.5, 0.4, 0.3], y = [1, 0, 0, 1]: ≥0.9 gives 2/3, ≥0.3 gives 4/6 = 2/3 too; the others are lower.
        var best = ThresholdSearch.BestF1([0.9f, 0.5f, 0.4f, 0.3f], [1, 0, 0, 1]);
        Assert.Equal((double)0.9f, best.Threshold);
        Assert.Equal(2.0 / 3, best.F1, 1e-15);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Metrics_at_the_chosen_threshold_reproduce_its_f1_and_no_probability_does_better(bool quantized)
    {
        var (p, y) = SyntheticScores.Make(quantized);
        var best = ThresholdSearch.BestF1(p, y);
        Assert.Equal(best.F1, BinaryMetrics.Compute(p, y, best.Threshold).F1);
        foreach (var candidate in p)
            Assert.True(BinaryMetrics.Compute(p, y, candidate).F1 <= best.F1);
    }

    [Theory]
    // sklearn 1.2.1: best of 2PR/(P + R) over precision_recall_curve (script in SyntheticScores).
    [InlineData(false, 0.7777777777777778, 0.48014533519744873)]
    [InlineData(true, 0.7567567567567568, 0.5249999761581421)]
    public void Agrees_with_scikit_learn(bool quantized, double f1, double threshold)
    {
        var (p, y) = SyntheticScores.Make(quantized);
        var best = ThresholdSearch.BestF1(p, y);
        Assert.Equal(f1, best.F1, 1e-15);
        Assert.Equal(threshold, best.Threshold);
    }

    [Fact]
    public void Refuses_labels_without_a_positive()
    {
        var ex = Assert.Throws<ArgumentException>(() => ThresholdSearch.BestF1([0.2f, 0.7f], [0, 0]));
        Assert.Contains("no label is 1", ex.Message, StringComparison.Ordinal);
    }
}
