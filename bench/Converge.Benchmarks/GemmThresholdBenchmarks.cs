using BenchmarkDotNet.Attributes;
using Converge.Kernels;

namespace Converge.Benchmarks;

/// <summary>Cubic products on one core and split, to place Gemm.ParallelFlopThreshold.</summary>
[MemoryDiagnoser]
public class GemmThresholdBenchmarks
{
    private float[] _a = [], _b = [], _c = [];

    [Params(32, 48, 64, 96, 128)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(2);
        _a = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        _b = Enumerable.Range(0, Size * Size).Select(_ => (float)random.NextDouble()).ToArray();
        _c = new float[Size * Size];
    }

    [Benchmark(Baseline = true)]
    public void SingleThread() => Gemm.Multiply(_a, _b, _c, Size, Size, Size, false, true, false, GemmPath.Auto, GemmThreading.SingleThread);

    [Benchmark]
    public void Split() => Gemm.Multiply(_a, _b, _c, Size, Size, Size, false, true, false, GemmPath.Auto, GemmThreading.Parallel);
}
