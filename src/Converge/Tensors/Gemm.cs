using System.Numerics.Tensors;

namespace Converge.Tensors;

/// <summary>
/// General matrix multiply on row-major spans: C[m,n] (+)= op(A)[m,k] · op(B)[k,n], where
/// op(A) = Aᵀ when <c>transposeA</c> (A is then stored [k,m]) and op(B) = Bᵀ when
/// <c>transposeB</c> (B stored [n,k]).
/// </summary>
internal static class Gemm
{
    public static void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> c, int m, int n, int k,
        bool transposeA, bool transposeB, bool accumulate)
    {
        if (!accumulate) c[..(m * n)].Clear();
        for (var i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * n, n);
            if (!transposeB)
            {
                // row i of C += Σ_p A[i,p] · row p of B: contiguous rows, vectorized by TensorPrimitives.
                for (var p = 0; p < k; p++)
                {
                    var aip = transposeA ? a[p * m + i] : a[i * k + p];
                    if (aip != 0f) TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), aip, cRow, cRow);
                }
            }
            else if (!transposeA)
            {
                var aRow = a.Slice(i * k, k);
                for (var j = 0; j < n; j++) cRow[j] += TensorPrimitives.Dot(aRow, b.Slice(j * k, k));
            }
            else
            {
                for (var j = 0; j < n; j++)
                {
                    var sum = 0f;
                    for (var p = 0; p < k; p++) sum += a[p * m + i] * b[j * k + p];
                    cRow[j] += sum;
                }
            }
        }
    }
}
