using System.Globalization;
using System.Text;
using Converge.Data;
using Converge.Export;
using Converge.Training;

namespace Converge.Tests.Export;

/// <summary>Data, quick training and the Converge-vs-ONNX-Runtime comparison shared by the export tests.</summary>
internal static class ExportFixtures
{
    /// <summary>Max |p_onnx − p_converge| allowed (the brief's bound; float32 graph vs Converge's double-rounded standardization).</summary>
    public const double ProbabilityTolerance = 1e-5;

    /// <summary>Labels may differ only where Converge's probability is this close to the threshold.</summary>
    public const double ThresholdBand = 1e-6;

    public static CsvTable BreastCancer() =>
        CsvTable.Read(Path.Combine(AppContext.BaseDirectory, "TestData", "breast-cancer", "breast-cancer.csv"));

    public static CsvTable HeartRate() => CsvTable.Read(new StringReader(BuiltInData.HeartRateCsv()), "hr.11839");

    /// <summary>One network by default (members: 1); more members cross-fit an ensemble.</summary>
    public static BinaryClassifier Train(CsvTable table, string label, TrainingOptions training,
        ThresholdRule threshold = ThresholdRule.Half, IReadOnlyList<string>? keep = null, int members = 1, NumericScaling scaling = NumericScaling.Robust) =>
        BinaryClassifier.Fit(table, new ClassifierOptions
        {
            Label = label, Training = training, Threshold = threshold, Keep = keep ?? [], Members = members, Scaling = scaling,
        }).Classifier;

    public static TrainingOptions Quick(int[] hidden, Activation activation, Normalization normalize, LossKind loss, int epochs = 10) => new()
    {
        Hidden = hidden,
        Activation = activation,
        Normalize = normalize,
        Loss = loss,
        Epochs = epochs,
        BatchSize = 32,
        LearningRate = 1e-2,
        MonitorEvery = 0,
    };

    /// <summary>
    /// A messy CSV: a nearly-unique id (dropped), a constant column (dropped), numbers with missing
    /// values and missing tokens, text categories with gaps, a numeric code kept as categorical
    /// ("grade"), and the label in the middle of the columns. Income is in thousands unless
    /// <paramref name="incomeUnit"/> says otherwise (1 gives raw values up to 1.2e5).
    /// </summary>
    public static string MessyCsv(int rows = 240, int seed = 7, double incomeUnit = 1000)
    {
        var rng = new Random(seed);
        string[] colors = ["red", "green", "blue"], cities = ["Paris", "Oslo", "Lima", "Rome"];
        var text = new StringBuilder("patient,age,color,label,source,income,city,grade\n");
        for (var i = 0; i < rows; i++)
        {
            var age = 50 + 12 * Normal(rng);
            var color = rng.Next(colors.Length);
            var income = 20_000 + 100_000 * rng.NextDouble();
            var city = rng.Next(cities.Length);
            var grade = 1 + rng.Next(3);
            var score = 0.06 * (age - 50) + (color == 0 ? 1.2 : color == 1 ? -0.8 : 0) + (income - 70_000) / 40_000 + 0.5 * (grade - 2) + Normal(rng);
            string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
            text.Append(CultureInfo.InvariantCulture, $"P{i:D4},")
                .Append(rng.NextDouble() < 0.1 ? "" : F(age)).Append(',')
                .Append(rng.NextDouble() < 0.1 ? "" : colors[color]).Append(',')
                .Append(score > 0 ? "yes" : "no").Append(",web,")
                .Append(rng.NextDouble() < 0.08 ? "?" : F(income / incomeUnit)).Append(',')
                .Append(rng.NextDouble() < 0.05 ? "NA" : cities[city]).Append(',')
                .Append(grade.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        return text.ToString();
    }

    public static CsvTable Messy(double incomeUnit = 1000) => CsvTable.Read(new StringReader(MessyCsv(incomeUnit: incomeUnit)), "messy.csv");

    /// <summary>
    /// Random rows in the model's source columns: numbers spread widely around the median, known
    /// categories, unseen categories and missing cells (null), each column independently.
    /// </summary>
    public static CsvTable RandomRows(BinaryClassifier model, int rows, int seed)
    {
        var rng = new Random(seed);
        var columns = model.Preprocessing.Columns.Where(static c => c.Kind != ColumnKind.Dropped).ToList();
        var cells = columns.Select(c =>
        {
            var values = new string?[rows];
            for (var r = 0; r < rows; r++)
            {
                var u = rng.NextDouble();
                if (u < 0.1) continue;
                if (c.Kind == ColumnKind.Numeric)
                {
                    var m = c.ImputeValue!.Value;
                    values[r] = (m + (Math.Abs(m) + 1) * (4 * rng.NextDouble() - 2)).ToString("R", CultureInfo.InvariantCulture);
                }
                else
                {
                    values[r] = u < 0.2 ? $"unseen-{rng.Next(5)}" : c.Vocabulary![rng.Next(c.Vocabulary.Count)];
                }
            }
            return (IReadOnlyList<string?>)values;
        }).ToList();
        return CsvTable.FromColumns($"random-{seed}", [.. columns.Select(static c => c.Name)], cells);
    }

    /// <summary>
    /// Runs the exported model in ONNX Runtime on the table (encoded with <see cref="OnnxInputLayout"/>)
    /// and checks it against <see cref="BinaryClassifier.PredictProbabilities(CsvTable)"/>; returns the max abs difference.
    /// </summary>
    public static double AssertOnnxMatches(BinaryClassifier model, byte[] onnx, CsvTable table)
    {
        var expected = model.PredictProbabilities(table);
        var layout = OnnxInputLayout.For(model);
        var input = layout.Encode(table);
        var results = OrtHarness.Run(onnx, (OnnxExporter.InputName, input, [table.RowCount, layout.Width]));
        var probability = results[OnnxExporter.ProbabilityOutput];
        var label = results[OnnxExporter.LabelOutput];
        Assert.Equal([table.RowCount, 1L], probability.Shape);
        Assert.Equal([table.RowCount, 1L], label.Shape);

        var worst = 0.0;
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(probability.Floats[i]), $"row {i}: ONNX probability is NaN");
            worst = Math.Max(worst, Math.Abs((double)expected[i] - probability.Floats[i]));
            Assert.Equal(probability.Floats[i] >= model.Threshold ? 1L : 0L, label.Int64s[i]);
            if (Math.Abs(expected[i] - model.Threshold) > ThresholdBand)
                Assert.True((expected[i] >= model.Threshold ? 1L : 0L) == label.Int64s[i], $"row {i}: Converge p = {expected[i]}, ONNX label {label.Int64s[i]}, threshold {model.Threshold}");
        }
        Assert.True(worst <= ProbabilityTolerance, $"{table.SourceName}: max |p_onnx − p_converge| = {worst:E3} exceeds {ProbabilityTolerance:E0}");
        return worst;
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
