using BenchmarkDotNet.Attributes;
using Converge.Data;
using Converge.Diagnosis;
using Converge.Modules;
using Converge.Tensors;
using Converge.Training;

namespace Converge.Benchmarks;

/// <summary>
/// What the doctor's remedy search costs per case: a whole <c>Doctor.Diagnose</c> (the run as configured, the
/// checks and the search with the default 5-second budget), on the question's setup as <c>converge diagnose</c>
/// runs it (10,000 full-batch epochs) and on planted failures of the test suite. Each call returns the outcome so
/// the result table can be read next to the time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class RemedySearchBenchmarks
{
    /// <summary>The case.</summary>
    [Params("question-10000-epochs", "sgd-lr-too-high", "dead-relus", "class-imbalance", "shuffled-labels")]
    public string Case { get; set; } = "";

    private TrainingData _train = null!;
    private TrainingData? _validation;
    private TrainingOptions _options = null!;

    [GlobalSetup]
    public void Setup() => (_train, _validation, _options) = Case switch
    {
        "question-10000-epochs" => (HeartRate(), null, new TrainingOptions
        {
            Hidden = [4], Activation = Activation.Sigmoid, Loss = LossKind.Bce, LearningRate = 0.001, Normalize = Normalization.None,
            Epochs = 10_000, BatchSize = 0, ValidationSplit = 0, Patience = 0,
        }),
        "sgd-lr-too-high" => (Linear(400, 4, 3, 0.5, shuffle: false), null, new TrainingOptions { Optimizer = OptimizerKind.Sgd, LearningRate = 3, Epochs = 40, ValidationSplit = 0, Patience = 0 }),
        "dead-relus" => (Circles(), null, new TrainingOptions
        {
            Epochs = 60, ValidationSplit = 0, Patience = 0,
            Initialize = static m => Array.Fill(m.Layers.OfType<Linear>().First().Bias!.Data, -50f),
        }),
        "class-imbalance" => (Linear(1000, 4, 4, 0.04, shuffle: false), null, new TrainingOptions { Epochs = 30, ValidationSplit = 0, Patience = 0 }),
        _ => (Linear(400, 4, 21, 0.5, shuffle: true), Linear(200, 4, 22, 0.5, shuffle: true), new TrainingOptions { Epochs = 60, LearningRate = 1e-5 }),
    };

    [Benchmark]
    public RemedyOutcome? Diagnose() => Doctor.Diagnose(_train, _validation, _options).Search?.Best.Outcome;

    private static TrainingData HeartRate()
    {
        var bpm = BuiltInData.HeartRate();
        return new TrainingData([.. bpm.Select(static v => (float)v)], BuiltInData.HeartRateLabels(), bpm.Length, 1);
    }

    private static TrainingData Circles()
    {
        var (x, y) = BuiltInData.Circles();
        return new TrainingData([.. x.Select(static v => (float)v)], y, y.Length, 2);
    }

    /// <summary>The test suite's linear task (x ~ N(0, 1), score = Σ x_c/(c+1) + noise), optionally with shuffled labels.</summary>
    private static TrainingData Linear(int rows, int cols, ulong seed, double positiveRate, bool shuffle)
    {
        var g = new Generator(seed);
        var x = new float[rows * cols];
        for (var i = 0; i < x.Length; i++) x[i] = (float)g.NextNormal();
        var score = new double[rows];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < cols; c++) score[r] += x[r * cols + c] / (c + 1.0);
            score[r] += 0.3 * g.NextNormal();
        }
        var cut = score.Order().ElementAt((int)((1 - positiveRate) * rows));
        var labels = score.Select(s => s >= cut ? 1f : 0f).ToArray();
        if (shuffle) new Generator(seed + 100).Shuffle<float>(labels);
        return new TrainingData(x, labels, rows, cols);
    }
}
