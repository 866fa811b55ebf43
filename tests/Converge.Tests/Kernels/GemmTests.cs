using System.Runtime.Intrinsics;
using Xunit.Abstractions;
using Converge.Kernels;

namespace Converge.Tests.Kernels;

public class GemmTests(ITestOutputHelper output)
{
    // (m, n, k): odd edges, the 1→4→1 networks' skinny products and reductions, W3-like shapes,
    // a k spanning two Kc blocks, an n spanning two Nc blocks, 300³ for the split path, and k = 0.
    private static readonly (int M, int N, int K)[] Shapes =
    [
        (1, 1, 1), (3, 5, 7), (257, 33, 65), (1800, 4, 1), (1800, 1, 4), (4, 1, 1800), (1, 4, 1800),
        (1, 256, 256), (256, 1, 256), (50, 40, 300), (7, 2100, 9), (300, 300, 300), (5, 6, 0),
    ];

    private static readonly GemmPath[] Paths = [GemmPath.Scalar, GemmPath.Vector128, GemmPath.Vector256, GemmPath.Vector512];

    public static TheoryData<string, int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<string, int, int, int, bool, bool, bool>();
        foreach (var path in Paths)
            foreach (var (m, n, k) in Shapes)
                foreach (var transposeA in new[] { false, true })
                    foreach (var transposeB in new[] { false, true })
                        foreach (var accumulate in new[] { false, true })
                            data.Add(path.ToString(), m, n, k, transposeA, transposeB, accumulate);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Multiply_matches_a_double_precision_triple_loop(string pathName, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        if (path == GemmPath.Vector512 && !Vector512.IsHardwareAccelerated)
        {
            // The runtime emulates Vector512 in software, so its code (shared with Vector256) still runs.
            output.WriteLine("Vector512 is not hardware-accelerated here: running the emulated path.");
            if ((long)m * n * k > 1_000_000) return;
        }
        var a = Random(m * k, seed: (m * 31) + k);
        var b = Random(k * n, seed: (n * 17) + k + 1);
        var initial = Random(m * n, seed: m + n + 2);
        var (reference, magnitude) = References.GetOrAdd((m, n, k, transposeA, transposeB, accumulate),
            _ => Reference(a, b, initial, m, n, k, transposeA, transposeB, accumulate));
        foreach (var threading in new[] { GemmThreading.SingleThread, GemmThreading.Parallel })
        {
            var c = (float[])initial.Clone();
            Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate, path, threading);
            for (var i = 0; i < m * n; i++)
            {
                // Float accumulation error grows like √k relative to the sum of |terms|.
                var tolerance = (1e-5 * Math.Sqrt(Math.Max(k, 1)) * magnitude[i]) + 1e-30;
                if (Math.Abs(c[i] - reference[i]) > tolerance)
                    Assert.Fail($"{path}/{threading}: C[{i / n},{i % n}] = {c[i]}, reference {reference[i]}, tolerance {tolerance}.");
            }
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, int, int, bool, bool, bool), (double[], double[])> References = new();

    /// <summary>The plain triple loop in double, and per element the sum of |terms| that scales its tolerance.</summary>
    private static (double[] Sum, double[] Magnitude) Reference(float[] a, float[] b, float[] initial, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate)
    {
        var sums = new double[m * n];
        var magnitudes = new double[m * n];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? initial[(i * n) + j] : 0, magnitude = Math.Abs(sum);
                for (var p = 0; p < k; p++)
                {
                    var product = (double)a[transposeA ? (p * m) + i : (i * k) + p] * b[transposeB ? (j * k) + p : (p * n) + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                sums[(i * n) + j] = sum;
                magnitudes[(i * n) + j] = magnitude;
            }
        }
        return (sums, magnitudes);
    }

    [Fact]
    public void Multiply_leaves_memory_past_the_product_untouched()
    {
        var (m, n, k) = (13, 21, 17);
        var a = Random(m * k, 1);
        var b = Random(k * n, 2);
        var c = new float[(m * n) + 8];
        Array.Fill(c, 42f);
        Gemm.Multiply(a, b, c, m, n, k, false, false, false, GemmPath.Auto, GemmThreading.Parallel);
        Assert.All(c[(m * n)..], x => Assert.Equal(42f, x));
    }

    [Fact]
    public void Parallel_product_allocates_nothing_in_steady_state()
    {
        var (m, n, k) = (256, 256, 256);
        var a = Random(m * k, 3);
        var b = Random(n * k, 4);
        var c = new float[m * n];
        Gemm.Multiply(a, b, c, m, n, k, false, true, false, GemmPath.Auto, GemmThreading.Parallel);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++) Gemm.Multiply(a, b, c, m, n, k, false, true, false, GemmPath.Auto, GemmThreading.Parallel);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Concurrent_callers_each_get_the_right_product()
    {
        var (m, n, k) = (120, 96, 80);
        var a = Random(m * k, 5);
        var b = Random(k * n, 6);
        var expected = new float[m * n];
        Gemm.Multiply(a, b, expected, m, n, k, false, false, false, GemmPath.Scalar, GemmThreading.SingleThread);
        var results = new float[4][];
        Parallel.For(0, results.Length, t =>
        {
            var c = new float[m * n];
            for (var rep = 0; rep < 20; rep++) Gemm.Multiply(a, b, c, m, n, k, false, false, false, GemmPath.Auto, GemmThreading.Parallel);
            results[t] = c;
        });
        foreach (var c in results)
            for (var i = 0; i < c.Length; i++)
                Assert.True(Math.Abs(c[i] - expected[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"C[{i}] = {c[i]}, expected {expected[i]}.");
    }

    [Fact]
    public void Short_spans_are_rejected_with_their_sizes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new float[5], new float[6], new float[4], 2, 2, 3, false, false, false));
        Assert.Contains("a has 5 (needs 6)", ex.Message, StringComparison.Ordinal);
    }

    private static float[] Random(int length, int seed)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (var i = 0; i < length; i++) values[i] = (float)((random.NextDouble() * 2) - 1);
        return values;
    }
}
