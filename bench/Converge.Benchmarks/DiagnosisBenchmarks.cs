using BenchmarkDotNet.Attributes;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Benchmarks;

/// <summary>
/// What the diagnosis costs: the before-training data checks on a W3-sized matrix (100,000 × 32), and a
/// small training run with the in-training monitors sampled every 10 epochs versus off.
/// </summary>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private TrainingData _large = null!;
    private TrainingData _circles = null!;

    [GlobalSetup]
    public void Setup()
    {
        var g = new Generator(1001);
        const int rows = 100_000, cols = 32;
        var x = new float[rows * cols];
        for (var i = 0; i < x.Length; i++) x[i] = (float)g.NextNormal();
        var y = new float[rows];
        for (var r = 0; r < rows; r++) y[r] = x[r * cols] + x[r * cols + 1] > 0 ? 1f : 0f;
        _large = new TrainingData(x, y, rows, cols);
        var (cx, cy) = BuiltInData.Circles();
        _circles = new TrainingData([.. cx.Select(static v => (float)v)], cy, cy.Length, 2);
    }

    [Benchmark]
    public int DataChecks100kBy32() => DataChecks.Run(_large).Count;

    [Benchmark(Baseline = true)]
    public double TrainCirclesMonitorOff() => Train(0);

    [Benchmark]
    public double TrainCirclesMonitorEvery10() => Train(10);

    private double Train(int monitorEvery) =>
        TabularRecipe.Fit(_circles, null, new TrainingOptions { Epochs = 50, ValidationSplit = 0, Patience = 0, MonitorEvery = monitorEvery }).History[^1].TrainLoss;
}
