using System.Runtime.CompilerServices;

namespace Converge.Kernels;

/// <summary>
/// Unpacked loops for products too small or too skinny to repay packing: the 1→4→1 networks'
/// x·Wᵀ (k = 1 or n = 1) and their backward reductions over the batch (k = 1800).
/// </summary>
internal static unsafe class GemmDirect
{
    /// <summary>True when a dimension is too small for the 6×2-register micro-kernel tiles to fill.</summary>
    public static bool Suits(int m, int n, int k) => m < 4 || n < 8 || k < 4 || (long)m * n * k < 4096;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<TOps, TV>(float* a, float* b, float* c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate)
        where TOps : unmanaged, IGemmOps<TV> where TV : struct
    {
        if (!accumulate) new Span<float>(c, checked(m * n)).Clear();
        if (!transposeB)
        {
            if (!transposeA)
            {
                // C[i,:] += Σ_p A[i,p]·B[p,:], rows of B and C contiguous.
                for (var i = 0; i < m; i++)
                {
                    var ai = a + ((nint)i * k);
                    var ci = c + ((nint)i * n);
                    for (var p = 0; p < k; p++) Axpy<TOps, TV>(ai[p], b + ((nint)p * n), ci, n);
                }
            }
            else if (n == 1)
            {
                // C[:,0] += Σ_p B[p]·A[p,:]: the k-long reduction vectorized over m.
                for (var p = 0; p < k; p++) Axpy<TOps, TV>(b[p], a + ((nint)p * m), c, m);
            }
            else
            {
                // Rank-1 updates C += A[p,:]ᵀ·B[p,:], each reading rows of A and B contiguously.
                for (var p = 0; p < k; p++)
                {
                    var ap = a + ((nint)p * m);
                    var bp = b + ((nint)p * n);
                    for (var i = 0; i < m; i++) Axpy<TOps, TV>(ap[i], bp, c + ((nint)i * n), n);
                }
            }
        }
        else if (!transposeA)
        {
            // C[i,j] += A[i,:]·B[j,:], both rows contiguous.
            for (var i = 0; i < m; i++)
            {
                var ai = a + ((nint)i * k);
                var ci = c + ((nint)i * n);
                for (var j = 0; j < n; j++) ci[j] += Dot<TOps, TV>(ai, b + ((nint)j * k), k);
            }
        }
        else
        {
            for (var i = 0; i < m; i++)
            {
                for (var j = 0; j < n; j++)
                {
                    var bj = b + ((nint)j * k);
                    var sum = 0f;
                    for (var p = 0; p < k; p++) sum += a[((nint)p * m) + i] * bj[p];
                    c[((nint)i * n) + j] += sum;
                }
            }
        }
    }

    /// <summary>y[0..len) += alpha·x[0..len).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Axpy<TOps, TV>(float alpha, float* x, float* y, int len)
        where TOps : unmanaged, IGemmOps<TV> where TV : struct
    {
        var i = 0;
        if (len >= TOps.Count)
        {
            var va = TOps.Broadcast(alpha);
            for (; i <= len - TOps.Count; i += TOps.Count)
                TOps.Store(TOps.MultiplyAdd(va, TOps.Load(x + i), TOps.Load(y + i)), y + i);
        }
        for (; i < len; i++) y[i] += alpha * x[i];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<TOps, TV>(float* x, float* y, int len)
        where TOps : unmanaged, IGemmOps<TV> where TV : struct
    {
        var i = 0;
        var sum = 0f;
        if (len >= 2 * TOps.Count)
        {
            // Two accumulators hide the FMA latency on the k = 256 dot products of a 256→1 layer.
            TV s0 = TOps.Zero, s1 = TOps.Zero;
            for (; i <= len - (2 * TOps.Count); i += 2 * TOps.Count)
            {
                s0 = TOps.MultiplyAdd(TOps.Load(x + i), TOps.Load(y + i), s0);
                s1 = TOps.MultiplyAdd(TOps.Load(x + i + TOps.Count), TOps.Load(y + i + TOps.Count), s1);
            }
            sum = TOps.Sum(TOps.Add(s0, s1));
        }
        for (; i < len; i++) sum += x[i] * y[i];
        return sum;
    }
}
