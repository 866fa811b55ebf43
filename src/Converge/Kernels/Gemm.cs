using System.Runtime.Intrinsics;

namespace Converge.Kernels;

/// <summary>
/// General matrix multiply on row-major spans: C[m,n] (+)= op(A)[m,k] · op(B)[k,n], where
/// op(A) = Aᵀ when <c>transposeA</c> (A is then stored [k,m]) and op(B) = Bᵀ when
/// <c>transposeB</c> (B stored [n,k]).
/// </summary>
/// <remarks>
/// Small or skinny products (a dimension below a few elements, as in the 1→4→1 networks) take a
/// direct loop with no packing (<see cref="GemmDirect"/>; with AVX2, outputs at most 8 wide take
/// <see cref="GemmNarrow"/>'s masked-register kernels); the rest are blocked and packed with
/// an FMA micro-kernel (<see cref="GemmPacked{TOps, TV}"/>), split over the cores when large.
/// The environment variables CONVERGE_GEMM=scalar|v128|v256|v512 and
/// CONVERGE_GEMM_THREADS=single|parallel set the process-wide defaults.
/// </remarks>
internal static class Gemm
{
    /// <summary>
    /// 2·m·n·k from which Auto threading splits a product. GemmThresholdBenchmarks put the
    /// break-even between 64³ and 128³ on 2 cores, but on a heavily shared machine: re-measure.
    /// </summary>
    internal const long ParallelFlopThreshold = 2L * 96 * 96 * 96;

    /// <summary>Process-wide path; tests prefer the explicit-argument overload to avoid racing on it.</summary>
    internal static GemmPath ForcedPath { get; set; } = ParsePath(Environment.GetEnvironmentVariable("CONVERGE_GEMM"));

    internal static GemmThreading Threading { get; set; } = ParseThreading(Environment.GetEnvironmentVariable("CONVERGE_GEMM_THREADS"));

    /// <summary>The path Auto resolves to on this machine.</summary>
    internal static GemmPath BestPath =>
        Vector512.IsHardwareAccelerated ? GemmPath.Vector512
        : Vector256.IsHardwareAccelerated ? GemmPath.Vector256
        : Vector128.IsHardwareAccelerated ? GemmPath.Vector128
        : GemmPath.Scalar;

    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate) =>
        Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate, ForcedPath, Threading);

    public static unsafe void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, GemmPath path, GemmThreading threading)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"Gemm: dimensions must be non-negative, got m={m}, n={n}, k={k}.");
        if (a.Length < (long)m * k || b.Length < (long)k * n || c.Length < (long)m * n)
            throw new ArgumentException(
                $"Gemm: spans too short for m={m}, n={n}, k={k}: a has {a.Length} (needs {(long)m * k}), "
                + $"b has {b.Length} (needs {(long)k * n}), c has {c.Length} (needs {(long)m * n}).");
        if (m == 0 || n == 0) return;
        if (k == 0)
        {
            if (!accumulate) c[..(m * n)].Clear();
            return;
        }
        if (path == GemmPath.Auto) path = BestPath;

        fixed (float* pa = a, pb = b, pc = c)
        {
            var direct = GemmDirect.Suits(m, n, k);
            var parallel = !direct && threading switch
            {
                GemmThreading.SingleThread => false,
                GemmThreading.Parallel => true,
                _ => 2L * m * n * k >= ParallelFlopThreshold && Environment.ProcessorCount > 1,
            };
            switch (path)
            {
                case GemmPath.Scalar: Run<ScalarOps, float>(pa, pb, pc, m, n, k, transposeA, transposeB, accumulate, direct, parallel); break;
                case GemmPath.Vector128: Run<Vector128Ops, Vector128<float>>(pa, pb, pc, m, n, k, transposeA, transposeB, accumulate, direct, parallel); break;
                case GemmPath.Vector256: Run<Vector256Ops, Vector256<float>>(pa, pb, pc, m, n, k, transposeA, transposeB, accumulate, direct, parallel); break;
                case GemmPath.Vector512: Run<Vector512Ops, Vector512<float>>(pa, pb, pc, m, n, k, transposeA, transposeB, accumulate, direct, parallel); break;
                default: throw new ArgumentOutOfRangeException(nameof(path), $"Gemm: unknown path {path}.");
            }
        }
    }

    private static unsafe void Run<TOps, TV>(float* a, float* b, float* c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate, bool direct, bool parallel)
        where TOps : unmanaged, IGemmOps<TV> where TV : struct
    {
        if (direct && typeof(TV) == typeof(Vector256<float>) && GemmNarrow.Suits(m, n, k, transposeA))
        {
            GemmNarrow.Multiply(a, b, c, m, n, k, transposeA, transposeB, accumulate);
            return;
        }
        if (direct)
        {
            GemmDirect.Multiply<TOps, TV>(a, b, c, m, n, k, transposeA, transposeB, accumulate);
            return;
        }
        // Strides: A(i,p) = a[i·rsA + p·csA], B(p,j) = b[p·rsB + j·csB].
        var plan = new GemmPlan
        {
            A = a, RsA = transposeA ? 1 : k, CsA = transposeA ? m : 1,
            B = b, RsB = transposeB ? 1 : n, CsB = transposeB ? k : 1,
            C = c, Ldc = n, M = m, N = n, K = k, Accumulate = accumulate,
        };
        GemmPacked<TOps, TV>.Run(&plan, parallel);
    }

    private static GemmPath ParsePath(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "SCALAR" => GemmPath.Scalar,
        "V128" or "VECTOR128" => GemmPath.Vector128,
        "V256" or "VECTOR256" => GemmPath.Vector256,
        "V512" or "VECTOR512" => GemmPath.Vector512,
        _ => GemmPath.Auto,
    };

    private static GemmThreading ParseThreading(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "SINGLE" or "1" => GemmThreading.SingleThread,
        "PARALLEL" => GemmThreading.Parallel,
        _ => GemmThreading.Auto,
    };
}
