using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Converge.Kernels;

/// <summary>
/// Adam's update without weight decay or AMSGrad in one vectorized pass over θ, g, m and v, in
/// float32 as PyTorch's tensor ops compute it (scalars rounded to float):
/// m ← fma(g, c1, β1·m); v ← β2·v + c2·g·g with c = (float)(1 − β) rounded from double; θ ← θ − (stepSize·m) / (√v / bc2 + ε), addcdiv's order.
/// </summary>
internal static class AdamKernel
{
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Update(Span<float> theta, ReadOnlySpan<float> grad, Span<float> m, Span<float> v,
        float beta1, float beta2, float c1, float c2, float stepSize, float biasCorrection2Sqrt, float epsilon)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && theta.Length >= Vector256<float>.Count)
        {
            ref var rt = ref MemoryMarshal.GetReference(theta);
            ref var rg = ref MemoryMarshal.GetReference(grad);
            ref var rm = ref MemoryMarshal.GetReference(m);
            ref var rv = ref MemoryMarshal.GetReference(v);
            var (vb1, vb2, vc1, vc2) = (Vector256.Create(beta1), Vector256.Create(beta2), Vector256.Create(c1), Vector256.Create(c2));
            var (vStep, vBc2, vEps) = (Vector256.Create(stepSize), Vector256.Create(biasCorrection2Sqrt), Vector256.Create(epsilon));
            for (; i <= theta.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var g = Vector256.LoadUnsafe(ref rg, (nuint)i);
                var mv = Vector256.FusedMultiplyAdd(g, vc1, Vector256.LoadUnsafe(ref rm, (nuint)i) * vb1);   // add_(g, alpha) is an fmadd in PyTorch
                var vv = Vector256.LoadUnsafe(ref rv, (nuint)i) * vb2 + vc2 * g * g;
                var t = Vector256.LoadUnsafe(ref rt, (nuint)i) - vStep * mv / (Vector256.Sqrt(vv) / vBc2 + vEps);
                mv.StoreUnsafe(ref rm, (nuint)i);
                vv.StoreUnsafe(ref rv, (nuint)i);
                t.StoreUnsafe(ref rt, (nuint)i);
            }
        }
        for (; i < theta.Length; i++)
        {
            var g = grad[i];
            m[i] = MathF.FusedMultiplyAdd(g, c1, m[i] * beta1);
            v[i] = v[i] * beta2 + c2 * g * g;
            theta[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) / biasCorrection2Sqrt + epsilon);
        }
    }
}
