using Converge.Data;
using Converge.Export;
using Converge.Persistence;
using Converge.Tests.Export;
using Converge.Training;

namespace Converge.Tests.Classification;

public class CalibrationChoiceTests
{
    private static CsvTable Cancer() => CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "breast-cancer", "breast-cancer.csv"));

    private static ClassifierFit Fit(CalibrationMethod? calibration, int members = 1) => BinaryClassifier.Fit(Cancer(),
        new ClassifierOptions { Label = "diagnosis", Calibration = calibration, Members = members, Training = new() { Epochs = 40 } });

    [Theory]
    [InlineData(CalibrationMethod.Platt, 1)]
    [InlineData(CalibrationMethod.Isotonic, 1)]
    [InlineData(CalibrationMethod.Platt, 3)]
    public void A_calibrated_model_saves_loads_predicts_and_exports_the_same(CalibrationMethod method, int members)
    {
        var fit = Fit(method, members);
        var model = fit.Classifier;
        Assert.Equal(method, model.Calibration!.Method);
        Assert.Contains(model.Training.Decisions!, d => d.StartsWith($"calibration: {method.ToString().ToLowerInvariant()} (as asked", StringComparison.Ordinal));
        Assert.Equal(3, model.Training.CalibrationLogLoss!.Count);

        // The predictor applies the map after the (ensemble) mean.
        var table = Cancer();
        var raw = Predictor.Create(model.Members, model.Scaler, outputIsLogit: true);
        var features = new float[table.RowCount * model.Architecture.Inputs];
        var encoded = model.Bind(table.ColumnNames, "c");
        for (var r = 0; r < table.RowCount; r++) encoded.TransformRow([.. Enumerable.Range(0, table.ColumnCount).Select(c => table[r, c])], r + 2, features.AsSpan(r * model.Architecture.Inputs, model.Architecture.Inputs));
        var uncalibrated = new float[table.RowCount];
        raw.PredictProbabilities(features, uncalibrated);
        var probabilities = model.PredictProbabilities(table);
        for (var i = 0; i < probabilities.Length; i++) Assert.Equal(model.Calibration.Apply(uncalibrated[i]), probabilities[i]);

        var path = Path.Combine(Path.GetTempPath(), $"calibrated-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            var loaded = BinaryClassifier.Load(path);
            Assert.Equal(model.Calibration, loaded.Calibration! with { X = model.Calibration.X, Y = model.Calibration.Y });
            Assert.Equal(model.Calibration.X, loaded.Calibration!.X);
            Assert.Equal(probabilities, loaded.PredictProbabilities(table));
            Assert.Equal("3", SafeTensorsFile.Read(path).Metadata["format_version"]);
        }
        finally
        {
            File.Delete(path);
        }
        ExportFixtures.AssertOnnxMatches(model, OnnxExporter.ToBytes(model), table);
    }

    [Fact]
    public void None_never_calibrates_and_an_uncalibrated_single_network_stays_format_1()
    {
        var model = Fit(CalibrationMethod.None).Classifier;
        Assert.Null(model.Calibration);
        Assert.Null(model.Training.CalibrationLogLoss);
        var path = Path.Combine(Path.GetTempPath(), $"plain-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            Assert.Equal("1", SafeTensorsFile.Read(path).Metadata["format_version"]);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Measured, not assumed: the chosen method has the lowest cross-validated log loss and beats none by the margin;
    // the validation metrics are computed from cross-validated scores, so they are no better than measured.
    [Fact]
    public void The_measured_choice_is_the_lowest_cross_validated_log_loss_or_none()
    {
        var fit = Fit(null);
        var measured = fit.Classifier.Training.CalibrationLogLoss!;
        var none = measured["none"];
        var best = measured.MinBy(static kv => kv.Value);
        if (fit.Classifier.Calibration is { } calibration)
        {
            Assert.Equal(best.Key, calibration.Method.ToString().ToLowerInvariant());
            Assert.True(best.Value <= none * (1 - 0.01));
            Assert.Equal(best.Value, fit.ValidationMetrics!.LogLoss, 9);
        }
        else
        {
            Assert.True(best.Key == "none" || best.Value > none * (1 - 0.01));
            Assert.Equal(none, fit.ValidationMetrics!.LogLoss, 9);
        }
    }

    [Fact]
    public void Too_few_validation_rows_are_not_calibrated_even_when_asked()
    {
        var fit = BinaryClassifier.Fit(Cancer(), new ClassifierOptions
        {
            Label = "diagnosis", Preset = TrainingPreset.Fast, Calibration = CalibrationMethod.Isotonic, Training = new() { Epochs = 5, ValidationSplit = 0.1 },
        });
        Assert.Null(fit.Classifier.Calibration);
        Assert.Contains(fit.Classifier.Training.Decisions!, d => d.Contains("too few to measure", StringComparison.Ordinal));
    }

    [Fact]
    public void A_calibration_in_an_older_format_or_out_of_range_is_refused()
    {
        var model = Fit(CalibrationMethod.Platt).Classifier;
        var contents = new ModelContents(model.Architecture, model.Preprocessing, null, 0.5, model.Training,
            model.Network.StateDict().ToDictionary(static kv => kv.Key, static kv => kv.Value.Data),
            Calibration: new ProbabilityCalibration { Method = CalibrationMethod.Isotonic, X = [0.1, 0.05], Y = [0, 1] });
        var path = Path.Combine(Path.GetTempPath(), $"bad-calibration-{Guid.NewGuid():N}.safetensors");
        try
        {
            ModelFile.Save(path, contents);
            var error = Assert.Throws<ModelFileException>(() => BinaryClassifier.Load(path));
            Assert.Contains("invalid calibration", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    // Isotonic scores sit on plateaus and a best-F1 threshold sits on one of them: the ONNX graph must give those
    // rows the same bits, or a whole plateau would change label.
    [Fact]
    public void An_isotonic_model_with_a_best_f1_threshold_labels_every_row_alike_in_onnx()
    {
        var table = Cancer();
        var model = BinaryClassifier.Fit(table, new ClassifierOptions
        {
            Label = "diagnosis", Preset = TrainingPreset.Fast, Calibration = CalibrationMethod.Isotonic, Threshold = ThresholdRule.BestF1,
            Training = new() { Epochs = 40 },
        }).Classifier;
        Assert.Equal(CalibrationMethod.Isotonic, model.Calibration!.Method);
        var expected = model.PredictProbabilities(table);
        Assert.Contains(expected, p => p == (float)model.Threshold);
        var layout = OnnxInputLayout.For(model);
        var results = OrtHarness.Run(OnnxExporter.ToBytes(model), (OnnxExporter.InputName, layout.Encode(table), [table.RowCount, layout.Width]));
        var labels = results[OnnxExporter.LabelOutput].Int64s;
        var probabilities = results[OnnxExporter.ProbabilityOutput].Floats;
        var (onThreshold, sameBits) = (0, 0);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - probabilities[i]) <= ExportFixtures.ProbabilityTolerance, $"row {i}");
            if (expected[i] == (float)model.Threshold)
            {
                // The plateau's rows: the same bits, unless the network itself (ONNX Runtime's products against
                // Converge's, ~1e-7 apart) put a row across a knot.
                onThreshold++;
                if (probabilities[i] == expected[i]) sameBits++;
            }
            else if (Math.Abs(expected[i] - model.Threshold) > ExportFixtures.ThresholdBand)
                Assert.Equal(expected[i] >= model.Threshold ? 1L : 0L, labels[i]);
        }
        Assert.True(sameBits >= 0.9 * onThreshold, $"{sameBits} of the {onThreshold} rows on the threshold's plateau have the same bits in ONNX");
    }
}
