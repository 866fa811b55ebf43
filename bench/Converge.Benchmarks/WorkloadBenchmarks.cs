using BenchmarkDotNet.Attributes;
using Converge.Training;

namespace Converge.Benchmarks;

/// <summary>
/// One steady-state training step of W1, W2 and W3 (graph replay: zero grads, forward, loss read,
/// backward, Adam) and W4's single-row and 4,096-row predictions. Allocated should read "-" for all:
/// a replayed step and a single-row prediction allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class WorkloadBenchmarks
{
    private Workload _w1 = null!;
    private Workload _w2 = null!;
    private Workload _w3 = null!;
    private Predictor _predictor = null!;
    private float[] _x = [];
    private float[] _probabilities = [];
    private int _row;

    [GlobalSetup]
    public void Setup()
    {
        (_w1, _w2, _w3) = (Workloads.W1(), Workloads.W2(), Workloads.W3());
        // Past the capture step, and (W3) past both batch sizes, so every benchmarked step is a replay.
        for (var i = 0; i < 5; i++) (_, _) = (_w1.Step(), _w2.Step());
        for (var i = 0; i < _w3.StepsPerEpoch + 2; i++) _w3.Step();
        _predictor = Predictor.Create(Workloads.W3Model(), scaler: null, outputIsLogit: true);
        (_x, _) = Workloads.W3Data();
        _probabilities = new float[Workloads.W4BatchRows];
    }

    [Benchmark(Description = "W1 step (1800 rows, 1-4-1, BCE, Adam)")]
    public float W1Step() => _w1.Step();

    [Benchmark(Description = "W2 step (500 rows, 2-4-1, BCE, Adam)")]
    public float W2Step() => _w2.Step();

    [Benchmark(Description = "W3 step (256 rows, 32-256-256-1, BCE logits, Adam)")]
    public float W3Step() => _w3.Step();

    [Benchmark(Description = "W4 single row (32-256-256-1 + sigmoid)")]
    public float W4SingleRow()
    {
        _row = (_row + 1) & 1023;
        return _predictor.PredictProbability(_x.AsSpan(_row * Workloads.W3Cols, Workloads.W3Cols));
    }

    [Benchmark(Description = "W4 batch of 4096 rows")]
    public float W4Batch()
    {
        _predictor.PredictProbabilities(_x.AsSpan(0, Workloads.W4BatchRows * Workloads.W3Cols), _probabilities);
        return _probabilities[0];
    }
}
