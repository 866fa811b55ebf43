using System.Text.Json;
using Converge.Tests.Evaluation;
using Converge.Training;

namespace Converge.Tests.Training;

public class ProbabilityCalibrationTests
{
    private static readonly JsonElement Expected = JsonDocument.Parse(File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "TestData", "sklearn-evaluation", "calibration.json"))).RootElement;

    // scikit-learn 1.2.1's _sigmoid_calibration on the fixed model's logits (TestData/sklearn-evaluation/calibration.py).
    [Fact]
    public void Platt_matches_scikit_learn()
    {
        var map = ProbabilityCalibration.FitPlatt(SklearnReference.Probabilities, SklearnReference.Table.Labels);
        Assert.Equal(Expected.GetProperty("platt").GetProperty("a").GetDouble(), map.A, 5);
        Assert.Equal(Expected.GetProperty("platt").GetProperty("b").GetDouble(), map.B, 5);
        var p = 1 / (1 + Math.Exp(map.A * Math.Log(0.3 / 0.7) + map.B));
        Assert.Equal(p, map.Apply(0.3f), 6);
    }

    // IsotonicRegression(out_of_bounds="clip"): the same knots, and the same predictions on a grid including outside the knots.
    [Fact]
    public void Isotonic_matches_scikit_learn()
    {
        var map = ProbabilityCalibration.FitIsotonic(SklearnReference.Probabilities, SklearnReference.Table.Labels);
        var iso = Expected.GetProperty("isotonic");
        var (x, y) = (SklearnReference.Doubles(iso.GetProperty("x")), SklearnReference.Doubles(iso.GetProperty("y")));
        Assert.Equal(x.Length, map.X.Count);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i], map.X[i], 12);
            Assert.Equal(y[i], map.Y[i], 12);
        }
        var grid = SklearnReference.Doubles(iso.GetProperty("grid"));
        var predicted = SklearnReference.Doubles(iso.GetProperty("predicted"));
        for (var i = 0; i < grid.Length; i++) Assert.Equal(predicted[i], map.Apply((float)grid[i]), 5);
        Assert.Null(map.Problem());
    }

    [Fact]
    public void Calibration_lowers_the_log_loss_of_an_overconfident_model_on_its_own_rows()
    {
        var (labels, p) = (SklearnReference.Table.Labels, SklearnReference.Probabilities);
        // Overconfident: the logit tripled.
        var over = p.Select(static v => (float)(1 / (1 + Math.Pow((1 - v) / v, 3)))).ToArray();
        double LogLoss(float[] q) => q.Select((v, i) => Converge.Evaluation.BinaryMetrics.CrossEntropy(v, labels[i] == 1)).Average();
        foreach (var method in new[] { CalibrationMethod.Platt, CalibrationMethod.Isotonic })
        {
            var map = ProbabilityCalibration.Fit(method, over, labels);
            var fixedUp = (float[])over.Clone();
            map.Apply(fixedUp);
            Assert.True(LogLoss(fixedUp) < LogLoss(over) - 0.05, $"{method}: {LogLoss(over)} → {LogLoss(fixedUp)}");
        }
    }

    [Fact]
    public void Maps_read_from_a_file_are_checked()
    {
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Platt, A = double.NaN }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = [0.2, 0.1], Y = [0, 1] }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = [0.1, 0.2], Y = [0.5, 0.4] }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = [0.1], Y = [1.5] }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Isotonic }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.None }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = (CalibrationMethod)7 }.Problem());
        Assert.Null(new ProbabilityCalibration { Method = CalibrationMethod.Platt, A = -1, B = 0.2 }.Problem());
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Platt, A = 1e300, B = 0 }.Problem());
        // Distinct as doubles, one float32: the interpolation would divide by zero.
        Assert.NotNull(new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = [0.5, 0.5 + 1e-12], Y = [0, 1] }.Problem());
    }

    [Fact]
    public void Fitting_needs_both_classes()
    {
        Assert.Throws<ArgumentException>(() => ProbabilityCalibration.FitPlatt([0.2f, 0.4f], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => ProbabilityCalibration.FitIsotonic([0.2f, 0.4f], [1f]));
    }
}
