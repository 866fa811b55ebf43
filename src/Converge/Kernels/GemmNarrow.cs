using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Converge.Kernels;

/// <summary>
/// AVX2 kernels for products whose output is at most 8 wide, the shapes of the 1→4→1 and 2→4→1
/// networks: rows of C = op(A)·op(B) with n ≤ 8 and k ≤ 8 (a small layer's forward pass and the
/// gradient it sends back), and C[m ≤ 8, n ≤ 8] reduced over a long k (its weight gradient).
/// One masked register holds an output row, so no lane reads or writes outside the matrices.
/// </summary>
internal static unsafe class GemmNarrow
{
    private const int Lanes = 8;

    public static bool Suits(int m, int n, int k, bool transposeA) =>
        Avx2.IsSupported && Fma.IsSupported
        && (transposeA ? m <= Lanes && n <= Lanes : Lanes % n == 0 && k <= Lanes);

    public static void Multiply(float* a, float* b, float* c, int m, int n, int k, bool transposeA, bool transposeB, bool accumulate)
    {
        if (transposeA) Reduce(a, b, c, m, n, k, transposeB, accumulate);
        else Rows(a, b, c, m, n, k, transposeB, accumulate);
    }

    private static Vector256<float> Mask(int count)
    {
        var lane = Vector256.Create(0, 1, 2, 3, 4, 5, 6, 7);
        return Vector256.LessThan(lane, Vector256.Create(count)).AsSingle();
    }

    /// <summary>
    /// C[i, :] (+)= Σ_p A[i, p]·op(B)[p, :]. When n divides 8 the output is walked as one flat array,
    /// 8/n rows per register: lane l is C[i + l/n, l mod n], so it needs A[i + l/n, p] (a permute of
    /// one load when those values lie within 8 floats, else a gather) and op(B)[p, l mod n] (a
    /// precomputed pattern). Other widths, and the last few rows, take the scalar loop.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Rows(float* a, float* b, float* c, int m, int n, int k, bool transposeB, bool accumulate)
    {
        var i = 0;
        if (n == 1 && k == 4)
        {
            // A 4→1 layer (W1/W2's output): eight 4-wide rows are four registers; multiply by [w, w] and
            // reduce each row with three horizontal adds, then restore the row order (hadd interleaves lanes).
            var w = Vector256.Create(b[0], b[1], b[2], b[3], b[0], b[1], b[2], b[3]);
            var order = Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7);
            for (; i <= m - Lanes; i += Lanes)
            {
                var ai = a + ((nint)i * 4);
                var h01 = Avx.HorizontalAdd(Vector256.Load(ai) * w, Vector256.Load(ai + 8) * w);
                var h23 = Avx.HorizontalAdd(Vector256.Load(ai + 16) * w, Vector256.Load(ai + 24) * w);
                var sum = Avx2.PermuteVar8x32(Avx.HorizontalAdd(h01, h23), order);
                (accumulate ? Vector256.Load(c + i) + sum : sum).Store(c + i);
            }
        }
        else if (Lanes % n == 0)
        {
            var rowsPerVector = Lanes / n;
            var patterns = stackalloc Vector256<float>[Lanes];
            var indices = stackalloc Vector256<int>[Lanes];
            var tmp = stackalloc float[Lanes];
            var tmpIndex = stackalloc int[Lanes];
            for (var p = 0; p < k; p++)
            {
                for (var l = 0; l < Lanes; l++)
                {
                    var j = l % n;
                    tmp[l] = transposeB ? b[(j * k) + p] : b[(p * n) + j];
                    tmpIndex[l] = ((l / n) * k) + p;
                }
                patterns[p] = Vector256.Load(tmp);
                indices[p] = Vector256.Load(tmpIndex);
            }
            var permute = rowsPerVector * k <= Lanes;
            for (; i <= m - rowsPerVector; i += rowsPerVector)
            {
                var ai = a + ((nint)i * k);
                var ci = c + ((nint)i * n);
                var sum = accumulate ? Vector256.Load(ci) : Vector256<float>.Zero;
                if (permute)
                {
                    // The last group may end within 8 floats of A's end: only whole groups inside A take the load.
                    if (((nint)i * k) + Lanes <= (nint)m * k)
                    {
                        var block = Vector256.Load(ai);
                        for (var p = 0; p < k; p++) sum = Fma.MultiplyAdd(Avx2.PermuteVar8x32(block, indices[p]), patterns[p], sum);
                    }
                    else
                    {
                        for (var p = 0; p < k; p++) sum = Fma.MultiplyAdd(Avx2.GatherVector256(ai, indices[p], 4), patterns[p], sum);
                    }
                }
                else
                {
                    for (var p = 0; p < k; p++) sum = Fma.MultiplyAdd(Avx2.GatherVector256(ai, indices[p], 4), patterns[p], sum);
                }
                sum.Store(ci);
            }
        }
        for (; i < m; i++)
        {
            var ai = a + ((nint)i * k);
            var ci = c + ((nint)i * n);
            for (var j = 0; j < n; j++)
            {
                var sum = 0f;
                for (var p = 0; p < k; p++) sum += ai[p] * (transposeB ? b[((nint)j * k) + p] : b[((nint)p * n) + j]);
                ci[j] = accumulate ? ci[j] + sum : sum;
            }
        }
    }

    /// <summary>
    /// C[i, j] (+)= Σ_p A[p, i]·op(B)[p, j] with A stored [k, m]: outer products of row p of A and of op(B),
    /// accumulated over p. Lanes run along the wider of m and n ("wide", its operand W stored [k, wide]),
    /// one accumulator per index of the other ("narrow", operand X). When wide divides 8 and X is stored
    /// [k, narrow], 8/wide consecutive rows of W share a register and X's values are permuted into place.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    private static void Reduce(float* a, float* b, float* c, int m, int n, int k, bool transposeB, bool accumulate)
    {
        var lanesAlongN = n >= m && !transposeB;
        var (wide, narrow) = lanesAlongN ? (n, m) : (m, n);
        var w = lanesAlongN ? b : a;
        var x = lanesAlongN ? a : b;
        var flat = Lanes % wide == 0 && !(transposeB && !lanesAlongN);
        var acc = stackalloc Vector256<float>[Lanes * 2];
        for (var t = 0; t < Lanes * 2; t++) acc[t] = Vector256<float>.Zero;
        var p = 0;
        if (flat)
        {
            var rowsPerVector = Lanes / wide;
            var indices = stackalloc Vector256<int>[Lanes];
            var tmpIndex = stackalloc int[Lanes];
            for (var s = 0; s < narrow; s++)
            {
                for (var l = 0; l < Lanes; l++) tmpIndex[l] = ((l / wide) * narrow) + s;
                indices[s] = Vector256.Load(tmpIndex);
            }
            // X is read 8 floats at a time from row p: stop while that stays inside X.
            if (narrow == 1)
            {
                // One output row or column (a weight gradient of a layer with one input or output): four
                // register accumulators in flight instead of one chain through memory.
                var spread = indices[0];
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                var block = 4 * rowsPerVector;
                for (; p <= k - block && p + block + Lanes <= k; p += block)
                {
                    var wp = w + ((nint)p * wide);
                    var xp = x + p;
                    s0 = Fma.MultiplyAdd(Vector256.Load(wp), Avx2.PermuteVar8x32(Vector256.Load(xp), spread), s0);
                    s1 = Fma.MultiplyAdd(Vector256.Load(wp + Lanes), Avx2.PermuteVar8x32(Vector256.Load(xp + rowsPerVector), spread), s1);
                    s2 = Fma.MultiplyAdd(Vector256.Load(wp + (2 * Lanes)), Avx2.PermuteVar8x32(Vector256.Load(xp + (2 * rowsPerVector)), spread), s2);
                    s3 = Fma.MultiplyAdd(Vector256.Load(wp + (3 * Lanes)), Avx2.PermuteVar8x32(Vector256.Load(xp + (3 * rowsPerVector)), spread), s3);
                }
                acc[0] = (s0 + s1) + (s2 + s3);
            }
            var step = 0;
            for (; p <= k - rowsPerVector && ((nint)p * narrow) + Lanes <= (nint)k * narrow; p += rowsPerVector, step ^= Lanes)
            {
                var row = Vector256.Load(w + ((nint)p * wide));
                var xs = Vector256.Load(x + ((nint)p * narrow));
                for (var s = 0; s < narrow; s++)
                    acc[step + s] = Fma.MultiplyAdd(row, Avx2.PermuteVar8x32(xs, indices[s]), acc[step + s]);
            }
            var lanes = stackalloc float[Lanes];
            for (var s = 0; s < narrow; s++)
            {
                (acc[s] + acc[Lanes + s]).Store(lanes);
                for (var l = wide; l < Lanes; l++) lanes[l % wide] += lanes[l];
                acc[s] = Vector256.Load(lanes) & Mask(wide);
                acc[Lanes + s] = Vector256<float>.Zero;
            }
        }
        var mask = Mask(wide);
        for (; p < k; p++)
        {
            var row = Avx.MaskLoad(w + ((nint)p * wide), mask);
            for (var s = 0; s < narrow; s++)
            {
                var value = lanesAlongN ? a[((nint)p * m) + s] : (transposeB ? b[((nint)s * k) + p] : b[((nint)p * n) + s]);
                acc[s] = Fma.MultiplyAdd(row, Vector256.Create(value), acc[s]);
            }
        }
        var result = stackalloc float[Lanes];
        for (var s = 0; s < narrow; s++)
        {
            (acc[s] + acc[Lanes + s]).Store(result);
            for (var l = 0; l < wide; l++)
            {
                var index = lanesAlongN ? ((nint)s * n) + l : ((nint)l * n) + s;
                c[index] = accumulate ? c[index] + result[l] : result[l];
            }
        }
    }
}
