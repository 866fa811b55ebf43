using Converge.Data;
using Converge.Export;
using Converge.Training;
using Microsoft.ML.OnnxRuntime;
using Xunit.Abstractions;
using static Converge.Tests.Export.ExportFixtures;

namespace Converge.Tests.Export;

// Every architecture the CLI can train, exported and run in ONNX Runtime, compared with
// BinaryClassifier.PredictProbabilities: max |Δp| ≤ 1e-5, labels identical except within 1e-6 of the
// threshold (see ExportFixtures.AssertOnnxMatches). Models train for 10 epochs: the weights only need
// to be non-trivial, not good.
public partial class OnnxExporterTests(ITestOutputHelper output)
{
    public static TheoryData<string, Activation, Normalization, LossKind> Architectures => new()
    {
        { "", Activation.Relu, Normalization.Standard, LossKind.BceWithLogits },
        { "", Activation.Relu, Normalization.None, LossKind.Bce },
        { "", Activation.Relu, Normalization.BatchNorm, LossKind.BceWithLogits },
        { "8", Activation.Relu, Normalization.Standard, LossKind.BceWithLogits },
        { "8", Activation.Tanh, Normalization.BatchNorm, LossKind.Bce },
        { "8", Activation.Sigmoid, Normalization.None, LossKind.BceWithLogits },
        { "8", Activation.LeakyRelu, Normalization.Standard, LossKind.Bce },
        { "8,4", Activation.Relu, Normalization.BatchNorm, LossKind.BceWithLogits },
        { "8,4", Activation.Tanh, Normalization.Standard, LossKind.Bce },
        { "8,4", Activation.Sigmoid, Normalization.BatchNorm, LossKind.Bce },
        { "8,4", Activation.LeakyRelu, Normalization.None, LossKind.BceWithLogits },
    };

    private static int[] Widths(string hidden) => hidden.Length == 0 ? [] : [.. hidden.Split(',').Select(int.Parse)];

    [Theory]
    [MemberData(nameof(Architectures))]
    public void Breast_cancer_models_match_converge_on_the_data_and_on_random_rows(string hidden, Activation activation, Normalization normalize, LossKind loss)
    {
        var table = BreastCancer();
        var model = Train(table, "diagnosis", Quick(Widths(hidden), activation, normalize, loss));
        Assert.Equal(normalize == Normalization.Standard, model.Scaler is not null);
        Assert.Equal(normalize == Normalization.BatchNorm, model.Architecture.InputBatchNorm);
        Assert.Equal(loss == LossKind.Bce, model.Architecture.OutputSigmoid);

        var onnx = OnnxExporter.ToBytes(model);
        Log(AssertOnnxMatches(model, onnx, table));
        Log(AssertOnnxMatches(model, onnx, RandomRows(model, 300, seed: 1)));
    }

    [Theory]
    [InlineData("8", Activation.Tanh, Normalization.Standard, LossKind.BceWithLogits, ThresholdRule.BestF1)]
    [InlineData("4,4", Activation.LeakyRelu, Normalization.BatchNorm, LossKind.Bce, ThresholdRule.Half)]
    [InlineData("", Activation.Relu, Normalization.None, LossKind.BceWithLogits, ThresholdRule.BestF1)]
    public void Heart_rate_models_match_converge(string hidden, Activation activation, Normalization normalize, LossKind loss, ThresholdRule rule)
    {
        var table = HeartRate();
        var model = Train(table, "label", Quick(Widths(hidden), activation, normalize, loss, epochs: 15), rule);
        var onnx = OnnxExporter.ToBytes(model);
        Log(AssertOnnxMatches(model, onnx, table));
        Log(AssertOnnxMatches(model, onnx, RandomRows(model, 200, seed: 2)));
    }

    [Fact]
    public void A_model_fitted_on_arrays_exports_with_f_columns()
    {
        var bpm = BuiltInData.HeartRate();
        float[] x = [.. bpm.Select(static v => (float)v)];
        var model = BinaryClassifier.Fit(x, BuiltInData.HeartRateLabels(), bpm.Length, 1,
            Quick([4], Activation.Tanh, Normalization.Standard, LossKind.BceWithLogits)).Classifier;
        var onnx = OnnxExporter.ToBytes(model);
        Assert.Equal("f1", OnnxInputLayout.For(model).Columns.Single().Name);
        Log(AssertOnnxMatches(model, onnx, RandomRows(model, 100, seed: 3)));
    }

    [Theory]
    [InlineData(Normalization.Standard, LossKind.BceWithLogits)]
    [InlineData(Normalization.BatchNorm, LossKind.Bce)]
    [InlineData(Normalization.None, LossKind.BceWithLogits)]
    public void Messy_csv_with_categories_and_missing_values_matches_converge(Normalization normalize, LossKind loss)
    {
        var table = Messy();
        var model = Train(table, "label", Quick([8], Activation.Relu, normalize, loss, epochs: 20), keep: ["grade"]);
        var kinds = model.Preprocessing.Columns.ToDictionary(static c => c.Name, static c => c.Kind);
        Assert.Equal(ColumnKind.Dropped, kinds["patient"]);
        Assert.Equal(ColumnKind.Dropped, kinds["source"]);
        Assert.Equal(ColumnKind.Categorical, kinds["grade"]);
        Assert.Equal(ColumnKind.Categorical, kinds["city"]);
        Assert.Equal(ColumnKind.Numeric, kinds["income"]);

        var onnx = OnnxExporter.ToBytes(model);
        Log(AssertOnnxMatches(model, onnx, table));
        Log(AssertOnnxMatches(model, onnx, RandomRows(model, 400, seed: 4)));
        Log(AssertOnnxMatches(model, onnx, UnseenAndMissing()));
    }

    [Fact]
    public void A_cross_fitted_ensemble_exports_as_the_mean_of_its_members_and_survives_save_and_load()
    {
        var table = Messy();
        var model = Train(table, "label", Quick([8], Activation.Relu, Normalization.Standard, LossKind.BceWithLogits, epochs: 20), keep: ["grade"], members: 3);
        Assert.Equal(3, model.Members.Count);
        Assert.Contains(model.Preprocessing.Columns, static c => c.Center is not null && c.Clip);
        // The members differ (their own folds and seeds), so the mean is not any one of them.
        var first = model.CreatePredictor();
        Assert.Equal(3, first.MemberCount);

        var onnx = OnnxExporter.ToBytes(model);
        Log(AssertOnnxMatches(model, onnx, table));
        Log(AssertOnnxMatches(model, onnx, RandomRows(model, 400, seed: 4)));
        Log(AssertOnnxMatches(model, onnx, UnseenAndMissing()));

        var path = Path.Combine(Path.GetTempPath(), $"converge-ensemble-{Guid.NewGuid():N}.safetensors");
        try
        {
            model.Save(path);
            var loaded = BinaryClassifier.Load(path);
            Assert.Equal(3, loaded.Members.Count);
            Assert.Equal(model.PredictProbabilities(table), loaded.PredictProbabilities(table));
            Assert.Equal(model.Training.MemberBestEpochs, loaded.Training.MemberBestEpochs);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Unseen_categories_and_missing_values_are_treated_as_converge_treats_them()
    {
        var model = Train(Messy(), "label", Quick([8], Activation.Tanh, Normalization.Standard, LossKind.BceWithLogits, epochs: 20), keep: ["grade"]);
        var onnx = OnnxExporter.ToBytes(model);
        var layout = OnnxInputLayout.For(model);
        var table = UnseenAndMissing();
        var encoded = layout.Encode(table);
        var color = layout.Columns.Single(static c => c.Name == "color");
        Assert.Equal(-1f, encoded[color.Index]);                          // row 0: "purple"
        Assert.True(float.IsNaN(encoded[layout.Width + color.Index]));    // row 1: missing
        Log(AssertOnnxMatches(model, onnx, table));

        // Any code outside 0..V−1 is an unseen category (all-zero one-hot); NaN is the imputed category.
        var row = layout.EncodeRow(new Dictionary<string, string?> { ["age"] = "41", ["color"] = "red", ["income"] = "50", ["city"] = "Oslo", ["grade"] = "2" });
        float[] codes = [-1f, color.Vocabulary!.Count, 0.5f, 1e9f, float.NaN, color.ImputeIndex!.Value];
        var batch = codes.SelectMany(code => row.Select((v, i) => i == color.Index ? code : v)).ToArray();
        var p = OrtHarness.Run(onnx, (OnnxExporter.InputName, batch, [codes.Length, layout.Width]))[OnnxExporter.ProbabilityOutput].Floats;
        Assert.Equal(p[0], p[1]);
        Assert.Equal(p[0], p[2]);
        Assert.Equal(p[0], p[3]);
        Assert.Equal(p[5], p[4]);
        Assert.NotEqual(p[0], p[5]);
    }

    // Raw inputs near 1e5 with no normalization: the first Gemm sums products of ~1e4, so float32
    // results depend on summation order. ONNX Runtime and Converge then each sit ~1e-5 from the exact
    // (double) result and may differ from each other by slightly more than 1e-5 (1.4e-5 observed);
    // this checks that both are float32 approximations of the same function.
    [Fact]
    public void Unnormalized_inputs_near_1e5_agree_with_a_double_reference_to_float32_rounding()
    {
        var model = Train(Messy(incomeUnit: 1), "label", Quick([8], Activation.Relu, Normalization.None, LossKind.BceWithLogits, epochs: 20), keep: ["grade"],
            scaling: NumericScaling.None);
        var table = RandomRows(model, 400, seed: 4);
        var layout = OnnxInputLayout.For(model);
        var onnx = OrtHarness.Run(OnnxExporter.ToBytes(model), (OnnxExporter.InputName, layout.Encode(table), [table.RowCount, layout.Width]))[OnnxExporter.ProbabilityOutput].Floats;
        var converge = model.PredictProbabilities(table);
        var binder = model.Bind(table.ColumnNames, table.SourceName);
        var encoded = new float[model.FeatureNames.Count];
        var (worstOnnx, worstConverge) = (0.0, 0.0);
        for (var r = 0; r < table.RowCount; r++)
        {
            binder.TransformRow([.. Enumerable.Range(0, table.ColumnCount).Select(c => table[r, c])], null, encoded);
            double[] h = [.. encoded.Select(static v => (double)v)];
            foreach (var layer in model.Network.Layers)
            {
                h = layer switch
                {
                    Converge.Modules.Linear l => [.. Enumerable.Range(0, l.OutFeatures).Select(j =>
                        l.Bias!.Data[j] + Enumerable.Range(0, l.InFeatures).Sum(k => (double)l.Weight.Data[j * l.InFeatures + k] * h[k]))],
                    Converge.Modules.ReLU => [.. h.Select(static v => Math.Max(v, 0))],
                    _ => throw new InvalidOperationException(layer.GetType().Name),
                };
            }
            var exact = Reference.Sigmoid(h[0]);
            worstOnnx = Math.Max(worstOnnx, Math.Abs(exact - onnx[r]));
            worstConverge = Math.Max(worstConverge, Math.Abs(exact - converge[r]));
        }
        output.WriteLine($"vs double: ONNX {worstOnnx:E2}, Converge {worstConverge:E2}");
        Assert.True(worstOnnx <= 1e-4, $"ONNX vs double: {worstOnnx:E3}");
        Assert.True(worstConverge <= 1e-4, $"Converge vs double: {worstConverge:E3}");
    }

    [Fact]
    public void Metadata_describes_inputs_label_threshold_and_version()
    {
        var model = Train(Messy(), "label", Quick([4], Activation.Relu, Normalization.Standard, LossKind.BceWithLogits), ThresholdRule.BestF1, keep: ["grade"]);
        using var session = new InferenceSession(OnnxExporter.ToBytes(model));
        var meta = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal(BinaryClassifier.Version, meta[OnnxExporter.VersionKey]);
        Assert.Equal(model.Threshold, double.Parse(meta[OnnxExporter.ThresholdKey], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("impute", meta[OnnxExporter.MissingPolicyKey]);

        using var inputs = System.Text.Json.JsonDocument.Parse(meta[OnnxExporter.InputsKey]);
        var expected = model.Preprocessing.Columns.Where(static c => c.Kind != ColumnKind.Dropped).ToList();
        var columns = inputs.RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Count, columns.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(i, columns[i].GetProperty("index").GetInt32());
            Assert.Equal(expected[i].Name, columns[i].GetProperty("name").GetString());
            Assert.Equal(expected[i].Kind.ToString().ToLowerInvariant(), columns[i].GetProperty("kind").GetString());
            if (expected[i].Kind == ColumnKind.Categorical)
                Assert.Equal(expected[i].Vocabulary!, columns[i].GetProperty("vocabulary").EnumerateArray().Select(static v => v.GetString()!));
        }
        using var label = System.Text.Json.JsonDocument.Parse(meta[OnnxExporter.LabelKey]);
        Assert.Equal(model.Label.Positive, label.RootElement.GetProperty("positive").GetString());
        Assert.Equal(model.Label.Negative, label.RootElement.GetProperty("negative").GetString());
        using var names = System.Text.Json.JsonDocument.Parse(meta[OnnxExporter.FeatureNamesKey]);
        Assert.Equal(model.FeatureNames, names.RootElement.EnumerateArray().Select(static v => v.GetString()!));

        var input = Assert.Single(session.InputMetadata);
        Assert.Equal(OnnxExporter.InputName, input.Key);
        Assert.Equal([-1, expected.Count], input.Value.Dimensions);
        Assert.Equal(typeof(long), session.OutputMetadata[OnnxExporter.LabelOutput].ElementType);
    }

    [Fact]
    public void Export_writes_the_same_bytes_to_a_file()
    {
        var model = Train(HeartRate(), "label", Quick([4], Activation.Relu, Normalization.Standard, LossKind.BceWithLogits, epochs: 3));
        var path = Path.Combine(Path.GetTempPath(), $"converge-export-{Guid.NewGuid():N}.onnx");
        try
        {
            OnnxExporter.Export(model, path);
            Assert.Equal(OnnxExporter.ToBytes(model), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private void Log(double worst) => output.WriteLine($"max |p_onnx − p_converge| = {worst:E2}");

    private static CsvTable UnseenAndMissing() => CsvTable.FromColumns("unseen-and-missing.csv",
        ["age", "color", "income", "city", "grade"],
        [
            ["41", null, "63.5", null, "18", "90"],
            ["purple", null, "blue", "red", null, "green"],
            ["50", "65", null, null, "90", "1e2"],
            ["Tokyo", "Lima", "Oslo", null, "Paris", "paris"],
            ["2", "3", "9", null, "1", "0"],
        ]);
}
