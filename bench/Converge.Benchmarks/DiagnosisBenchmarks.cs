using BenchmarkDotNet.Attributes;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Benchmarks;

/// <summary>
/// What the diagnosis costs: the before-training data checks on a W3-sized matrix (100,000 × 32); a small
/// training run with the in-training monitors sampled every 10 epochs versus off; a default run (every
/// TrainingOptions default: 16-16 ReLU, batches of 64, validation split, early stopping) with the monitors on
/// (the default) versus off; and the question's hand-written full-batch loop with and without Doctor.Watch.
/// </summary>
[MemoryDiagnoser]
public class DiagnosisBenchmarks
{
    private TrainingData _large = null!;
    private TrainingData _circles = null!;
    private TrainingData _tabular = null!;
    private TrainingData _tabularValidation = null!;
    private Tensor _bpm = null!;
    private Tensor _high = null!;

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
        (_tabular, _tabularValidation) = (Tabular(2_000, 8, 7), Tabular(500, 8, 8));
        var bpm = BuiltInData.HeartRate();
        _bpm = new Tensor([.. bpm.Select(static v => (float)v)], bpm.Length, 1);
        _high = new Tensor(BuiltInData.HeartRateLabels(), bpm.Length, 1);
    }

    private static TrainingData Tabular(int rows, int cols, ulong seed)
    {
        var g = new Generator(seed);
        var x = new float[rows * cols];
        for (var i = 0; i < x.Length; i++) x[i] = (float)g.NextNormal();
        var y = new float[rows];
        for (var r = 0; r < rows; r++) y[r] = x[r * cols] - 0.5f * x[r * cols + 1] + 0.3f * (float)g.NextNormal() > 0 ? 1f : 0f;
        return new TrainingData(x, y, rows, cols);
    }

    [Benchmark]
    public double DefaultRunMonitorOff() => TabularRecipe.Fit(_tabular, _tabularValidation, new TrainingOptions { MonitorEvery = 0 }).History[^1].TrainLoss;

    [Benchmark]
    public double DefaultRunMonitorDefault() => TabularRecipe.Fit(_tabular, _tabularValidation, new TrainingOptions()).History[^1].TrainLoss;

    [Benchmark]
    public double QuestionLoop1000Steps() => QuestionLoop(watch: false);

    [Benchmark]
    public double QuestionLoop1000StepsWatched() => QuestionLoop(watch: true);

    private double QuestionLoop(bool watch)
    {
        var model = new Sequential(new Linear(1, 4, generator: new Generator(3)), new Sigmoid(), new Linear(4, 1, generator: new Generator(4)), new Sigmoid());
        var criterion = new BceLoss();
        var optimizer = new Adam(model.Parameters(), new AdamOptions { LearningRate = 0.001 });
        using var doctor = watch ? Doctor.Watch(model, optimizer, criterion, _bpm, _high) : null;
        var last = 0f;
        for (var step = 0; step < 1000; step++)
        {
            optimizer.ZeroGrad();
            var loss = criterion.Forward(model.Forward(_bpm), _high);
            loss.Backward();
            doctor?.Step(loss);
            optimizer.Step();
            last = loss.Item();
        }
        return last;
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
