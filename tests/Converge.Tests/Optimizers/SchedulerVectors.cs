using System.Globalization;
using System.Text.Json;

namespace Converge.Tests.Optimizers;

/// <summary>
/// Reads TestData/vectors/schedulers.json: the "schedulers" block of the project's PyTorch 1.13
/// reference vectors (reference/vectors.json, produced by make_vectors.py), copied unchanged.
/// </summary>
internal static class SchedulerVectors
{
    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestData", "vectors", "schedulers.json"))));

    public static JsonElement Block(string name) => Document.Value.RootElement.GetProperty(name);

    public static double Number(this JsonElement element) => element.ValueKind == JsonValueKind.String
        ? double.Parse(element.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)   // "NaN", "Infinity", "-Infinity"
        : element.GetDouble();

    public static double Number(this JsonElement block, string name) => block.GetProperty(name).Number();

    public static double[] Numbers(this JsonElement block, string name) =>
        [.. block.GetProperty(name).EnumerateArray().Select(e => e.Number())];

    public static int[] Integers(this JsonElement block, string name) =>
        [.. block.GetProperty(name).EnumerateArray().Select(e => e.GetInt32())];

    /// <summary>Runs PyTorch's loop: record the lr in force, optimizer.step(), scheduler.step().</summary>
    public static double[] LearningRatesUsed(FakeOptimizer optimizer, Converge.Optimizers.ILearningRateScheduler scheduler, int epochs)
    {
        var used = new double[epochs];
        for (var e = 0; e < epochs; e++)
        {
            used[e] = optimizer.LearningRate;
            optimizer.Step();
            scheduler.Step();
        }
        return used;
    }
}
