using Converge.Evaluation;

namespace Converge.Tests.Evaluation;

public class CalibrationCurveTests
{
    [Fact]
    public void Bins_and_ece_match_scikit_learn_calibration_curve()
    {
        var (_, labels) = SklearnReference.Table;
        var curve = CalibrationCurve.Compute(SklearnReference.Probabilities, labels);
        var expected = SklearnReference.Expected.GetProperty("calibration");
        var counts = SklearnReference.Doubles(expected.GetProperty("counts"));
        Assert.Equal(counts, curve.Bins.Select(static b => (double)b.Count));
        var nonEmpty = curve.Bins.Where(static b => b.Count > 0).ToArray();
        var fraction = SklearnReference.Doubles(expected.GetProperty("fraction_positive"));
        var mean = SklearnReference.Doubles(expected.GetProperty("mean_predicted"));
        for (var k = 0; k < nonEmpty.Length; k++)
        {
            Assert.Equal(fraction[k], nonEmpty[k].FractionPositive, 1e-15);
            Assert.Equal(mean[k], nonEmpty[k].MeanPredicted, 1e-12);
        }
        Assert.Equal(expected.GetProperty("ece").GetDouble(), curve.ExpectedCalibrationError, 1e-12);
        Assert.Equal(SklearnReference.Rows, curve.Rows);
    }

    [Fact]
    public void Edges_belong_to_the_bin_below_and_zero_to_the_first()
    {
        // numpy's searchsorted (side left) on the inner edges: p = 0.5 is in (0.4, 0.5], p = 0 in the first bin.
        var curve = CalibrationCurve.Compute([0f, 0.5f, 0.50001f, 1f], [0, 1, 1, 1]);
        Assert.Equal([1, 0, 0, 0, 1, 1, 0, 0, 0, 1], curve.Bins.Select(static b => b.Count));
        Assert.True(double.IsNaN(curve.Bins[1].MeanPredicted));
    }

    [Fact]
    public void Perfectly_calibrated_bins_have_zero_error_and_a_constant_half_has_its_gap()
    {
        // Bin (0.2, 0.3]: four rows at 0.25, one positive → gap 0. Bin (0.7, 0.8]: four at 0.75, three positive → gap 0.
        var calibrated = CalibrationCurve.Compute([0.25f, 0.25f, 0.25f, 0.25f, 0.75f, 0.75f, 0.75f, 0.75f], [1, 0, 0, 0, 1, 1, 1, 0]);
        Assert.Equal(0, calibrated.ExpectedCalibrationError, 1e-15);
        // Everything at 0.5 with a quarter positive: one bin, gap |0.5 − 0.25|.
        var half = CalibrationCurve.Compute([0.5f, 0.5f, 0.5f, 0.5f], [1, 0, 0, 0], bins: 5);
        Assert.Equal(0.25, half.ExpectedCalibrationError, 1e-15);
        Assert.Equal(0.25, half.MaximumCalibrationError, 1e-15);
        Assert.Equal(5, half.Bins.Count);
    }

    [Fact]
    public void Rejects_probabilities_outside_zero_one_and_zero_bins()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationCurve.Compute([1.5f], [1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CalibrationCurve.Compute([0.5f], [1], bins: 0));
    }
}
