using System.Runtime.Intrinsics.X86;
using Converge.Kernels;

namespace Converge.Tests.Kernels;

/// <summary>
/// The AVX2 kernels for outputs at most 8 wide, through Gemm.Multiply on the Vector256 path (which
/// routes these shapes to GemmNarrow when AVX2 is present), against a double-precision triple loop.
/// Shapes cover the W1/W2 layers (1800×4×1, 500×4×2, 4×2×500, …), row tails that are not a whole
/// register (1799, 9, 3 rows), the gather branch (k·8/n > 8) and the permute branch near the end of A.
/// </summary>
public class GemmNarrowTests
{
    private static readonly (int M, int N, int K)[] RowShapes =
    [
        (1800, 4, 1), (1799, 4, 1), (500, 4, 2), (1800, 1, 4), (9, 2, 3), (3, 8, 5), (17, 1, 8), (1, 2, 7), (33, 8, 8), (11, 4, 3),
    ];

    private static readonly (int M, int N, int K)[] ReduceShapes =
    [
        (1, 4, 1800), (4, 1, 1800), (4, 2, 500), (2, 4, 501), (8, 8, 9), (3, 5, 7), (1, 1, 1), (8, 1, 33), (1, 8, 3), (5, 3, 1),
    ];

    public static TheoryData<int, int, int, bool, bool, bool> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool>();
        foreach (var (m, n, k) in RowShapes)
            foreach (var transposeB in new[] { false, true })
                foreach (var accumulate in new[] { false, true })
                    data.Add(m, n, k, false, transposeB, accumulate);
        foreach (var (m, n, k) in ReduceShapes)
            foreach (var transposeB in new[] { false, true })
                foreach (var accumulate in new[] { false, true })
                    data.Add(m, n, k, true, transposeB, accumulate);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Narrow_products_match_a_double_precision_triple_loop(int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        var random = new Random((m * 1000) + (n * 10) + k);
        var a = Enumerable.Range(0, m * k).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var b = Enumerable.Range(0, k * n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var c = Enumerable.Range(0, m * n).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var initial = (float[])c.Clone();
        Gemm.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate, GemmPath.Vector256, GemmThreading.SingleThread);
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = accumulate ? initial[(i * n) + j] : 0, magnitude = Math.Abs(sum);
                for (var p = 0; p < k; p++)
                {
                    var product = (double)a[transposeA ? (p * m) + i : (i * k) + p] * b[transposeB ? (j * k) + p : (p * n) + j];
                    sum += product;
                    magnitude += Math.Abs(product);
                }
                // Float accumulation: error ≲ √k·ε relative to Σ|terms|.
                var tolerance = (1e-6 * Math.Sqrt(k + 1) * magnitude) + 1e-30;
                Assert.True(Math.Abs(c[(i * n) + j] - sum) <= tolerance, $"C[{i},{j}] = {c[(i * n) + j]}, reference {sum}, tolerance {tolerance}");
            }
    }

    [Fact]
    public void Suits_only_narrow_outputs_and_needs_avx2()
    {
        Assert.Equal(Avx2.IsSupported && Fma.IsSupported, GemmNarrow.Suits(1800, 4, 1, transposeA: false));
        Assert.False(GemmNarrow.Suits(1800, 3, 1, transposeA: false));   // 3 does not divide a register
        Assert.False(GemmNarrow.Suits(1800, 4, 9, transposeA: false));   // k beyond one register of rows
        Assert.False(GemmNarrow.Suits(9, 4, 100, transposeA: true));     // m beyond one register
    }
}
