using Converge.Evaluation;

namespace Converge.Tests.Evaluation;

public class ThresholdCurveTests
{
    [Fact]
    public void Roc_and_precision_recall_points_match_scikit_learn()
    {
        var (_, labels) = SklearnReference.Table;
        var curve = ThresholdCurve.Compute(SklearnReference.Probabilities, labels);
        var roc = SklearnReference.Expected.GetProperty("roc_curve");
        Assert.Equal(SklearnReference.Doubles(roc.GetProperty("thresholds")), curve.Points.Select(static p => (double)(float)p.Threshold));
        Assert.Equal(SklearnReference.Doubles(roc.GetProperty("fpr")), curve.Roc().Select(static p => p.Fpr));
        Assert.Equal(SklearnReference.Doubles(roc.GetProperty("tpr")), curve.Roc().Select(static p => p.Tpr));
        // scikit-learn's precision_recall_curve stops at full recall; ours runs on to the lowest threshold.
        var pr = SklearnReference.Expected.GetProperty("pr_curve");
        var precision = SklearnReference.Doubles(pr.GetProperty("precision"));
        var recall = SklearnReference.Doubles(pr.GetProperty("recall"));
        for (var i = 0; i < precision.Length; i++)
        {
            Assert.Equal(precision[i], curve.Points[i].Precision, 1e-15);
            Assert.Equal(recall[i], curve.Points[i].Recall, 1e-15);
        }
    }

    [Fact]
    public void Every_point_agrees_with_binary_metrics_at_its_threshold()
    {
        float[] p = [0.2f, 0.6f, 0.6f, 0.9f, 0.1f];
        float[] y = [0, 0, 1, 1, 1];
        foreach (var point in ThresholdCurve.Compute(p, y).Points)
        {
            var m = BinaryMetrics.Compute(p, y, point.Threshold);
            Assert.Equal(m.ConfusionMatrix.TruePositives, point.TruePositives);
            Assert.Equal(m.ConfusionMatrix.FalsePositives, point.FalsePositives);
            Assert.Equal(m.F1, point.F1);
            Assert.Equal(m.Accuracy, point.Accuracy);
        }
    }

    [Fact]
    public void Roc_is_empty_with_one_class()
    {
        Assert.Empty(ThresholdCurve.Compute([0.2f, 0.7f], [1, 1]).Roc());
        Assert.Empty(ThresholdCurve.Compute([0.2f, 0.7f], [0, 0]).PrecisionRecall());
    }
}
