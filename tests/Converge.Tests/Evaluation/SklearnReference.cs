using System.Globalization;
using System.Text.Json;

namespace Converge.Tests.Evaluation;

/// <summary>
/// The fixed table and scikit-learn 1.2.1's numbers on it, from TestData/sklearn-evaluation/generate.py:
/// 300 rows of four features, a 0/1 label and the fixed logistic "model" p = float32(sigmoid(b + w·x)).
/// </summary>
internal static class SklearnReference
{
    public const int Rows = 300;
    public const int Cols = 4;
    private static readonly double[] Weights = [1.5, -2.0, 0.75, 0.0];
    private const double Bias = 0.25;

    private static readonly string Directory = Path.Combine(AppContext.BaseDirectory, "TestData", "sklearn-evaluation");

    public static JsonElement Expected { get; } = JsonDocument.Parse(File.ReadAllText(Path.Combine(Directory, "expected.json"))).RootElement;

    public static (float[] Features, float[] Labels) Table { get; } = ReadTable();

    public static float[] Probabilities => Model(Table.Features, Rows);

    /// <summary>The fixed model, in double from the table's decimals as the script computes it, rounded to float32.</summary>
    public static float[] Model(float[] features, int rows)
    {
        var p = new float[rows];
        for (var i = 0; i < rows; i++)
        {
            // The float32 cell's shortest text is the table's 4-decimal value, parsed to double as numpy does.
            var dot = 0d;
            for (var j = 0; j < Cols; j++) dot += Weights[j] * double.Parse(features[(i * Cols) + j].ToString("R", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            var z = dot + Bias;
            p[i] = (float)(1 / (1 + Math.Exp(-z)));
        }
        return p;
    }

    public static double[] Doubles(JsonElement e) => [.. e.EnumerateArray().Select(static v => v.GetDouble())];

    private static (float[], float[]) ReadTable()
    {
        var lines = File.ReadAllLines(Path.Combine(Directory, "table.csv")).Skip(1).ToArray();
        var x = new float[lines.Length * Cols];
        var y = new float[lines.Length];
        for (var i = 0; i < lines.Length; i++)
        {
            var cells = lines[i].Split(',');
            for (var j = 0; j < Cols; j++) x[(i * Cols) + j] = float.Parse(cells[j], CultureInfo.InvariantCulture);
            y[i] = float.Parse(cells[Cols], CultureInfo.InvariantCulture);
        }
        return (x, y);
    }
}
