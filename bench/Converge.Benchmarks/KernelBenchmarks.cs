using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using Converge.Kernels;

namespace Converge.Benchmarks;

/// <summary>
/// The matrix products of W3 (batch 256, 32→256→256→1) forward and backward, W1's skinny products,
/// run through Gemm.Multiply. GFLOP/s = 2·m·n·k / mean time (the FLOP count is in each case's name).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(WideParameterColumn))]
public class KernelBenchmarks
{
    private sealed class WideParameterColumn : ManualConfig
    {
        public WideParameterColumn() => SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(80);
    }

    private float[] _a = [], _b = [], _c = [];

    public static IEnumerable<GemmCase> Cases()
    {
        GemmCase[] shapes =
        [
            new("W3 L1 fwd x·W1ᵀ", 256, 256, 32, false, true),
            new("W3 L2 fwd h·W2ᵀ", 256, 256, 256, false, true),
            new("W3 L3 fwd h·W3ᵀ", 256, 1, 256, false, true),
            new("W3 L2 bwd dH=G·W2", 256, 256, 256, false, false),
            new("W3 L2 bwd dW=Gᵀ·H", 256, 256, 256, true, false),
            new("W3 L1 bwd dW=Gᵀ·X", 256, 32, 256, true, false),
            new("W3 L3 bwd dH=G·W3", 256, 256, 1, false, false),
            new("W3 L3 bwd dW=Gᵀ·H", 1, 256, 256, true, false),
            new("W1 fwd x·Wᵀ", 1800, 4, 1, false, true),
            new("W1 bwd dW=Gᵀ·X", 4, 1, 1800, true, false),
        ];
        foreach (var shape in shapes) yield return shape;
        // The 256³ products once more on one core, and through the scalar fallback, for the path comparison.
        foreach (var shape in shapes.Where(s => s.M * s.N * s.K == 256 * 256 * 256))
        {
            yield return shape with { Path = GemmPath.Vector256, Threading = GemmThreading.SingleThread };
            yield return shape with { Path = GemmPath.Scalar, Threading = GemmThreading.SingleThread };
        }
    }

    [ParamsSource(nameof(Cases))]
    public GemmCase Case { get; set; } = new("unset", 1, 1, 1, false, false);

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _a = Enumerable.Range(0, Case.M * Case.K).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _b = Enumerable.Range(0, Case.K * Case.N).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        _c = new float[Case.M * Case.N];
    }

    [Benchmark]
    public void MatMul() =>
        Gemm.Multiply(_a, _b, _c, Case.M, Case.N, Case.K, Case.TransposeA, Case.TransposeB, accumulate: true, Case.Path, Case.Threading);

}

/// <summary>The elementwise side: a sigmoid over W1's 1800×4 activations.</summary>
[MemoryDiagnoser]
public class ElementwiseKernelBenchmarks
{
    private readonly float[] _x = Enumerable.Range(0, 7200).Select(i => (i % 97 / 12f) - 4f).ToArray();
    private readonly float[] _y = new float[7200];

    [Benchmark]
    public void Sigmoid7200() => TensorPrimitives.Sigmoid(_x, _y);
}

/// <summary>One product C[m,n] += op(A)·op(B) and how to run it.</summary>
public sealed record GemmCase(string Name, int M, int N, int K, bool TransposeA, bool TransposeB)
{
    internal GemmPath Path { get; init; } = GemmPath.Auto;
    internal GemmThreading Threading { get; init; } = GemmThreading.Auto;

    public override string ToString() =>
        $"{Name} m{M} n{N} k{K} {2L * M * N * K}flop {(Path == GemmPath.Auto ? "auto" : Path.ToString())}"
        + (Threading == GemmThreading.Auto ? "" : "/1thread");
}
