using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Converge.Tensors;

namespace Converge.Losses;

/// <summary>
/// Vectorized BCE and BCE-with-logits for the common case (no weight, no PosWeight, Mean or Sum):
/// one float32 pass computes every ℓᵢ (summed in double) and dℓᵢ/dxᵢ, which the backward pass then
/// scales. The arithmetic is PyTorch 1.13's CPU kernels, in float as they are:
/// BCE ℓ = (y − 1)·max(ln(1 − p), −100) − y·max(ln p, −100), dℓ/dp = (p − y)/max((1 − p)·p, 1e-12);
/// with logits ℓ = (1 − y)·x + m + ln(e^(−m) + e^(−x−m)), m = max(−x, 0), dℓ/dx = σ(x) − y.
/// </summary>
internal static class BceFastPath
{
    private const float Epsilon = 1e-12f;
    private const float LogFloor = -100f;

    public static Tensor Forward(Tensor input, Tensor target, Reduction reduction, bool logits, string name)
    {
        var n = input.Length;
        var derivative = new float[n];
        var scale = reduction == Reduction.Mean ? 1.0 / n : 1.0;
        return Tensor.Custom([], name, [input, target],
            forward: output =>
            {
                var sum = logits ? WithLogits(input.Data, target.Data, derivative) : Probabilities(input.Data, target.Data, derivative);
                output.Data[0] = (float)(sum * scale);
            },
            backward: output =>
            {
                if (!input.RequiresGrad) return;
                TensorPrimitives.MultiplyAdd(derivative, (float)(output.Grad![0] * scale), input.GradSpan(), input.GradSpan());
            });
    }

    /// <summary>Σℓᵢ of BCE on probabilities; writes dℓᵢ/dpᵢ.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static double Probabilities(ReadOnlySpan<float> p, ReadOnlySpan<float> y, Span<float> derivative)
    {
        var i = 0;
        var sum = 0d;
        if (Vector256.IsHardwareAccelerated && p.Length >= Vector256<float>.Count)
        {
            ref var rp = ref MemoryMarshal.GetReference(p);
            ref var ry = ref MemoryMarshal.GetReference(y);
            ref var rd = ref MemoryMarshal.GetReference(derivative);
            var (one, floor, eps) = (Vector256<float>.One, Vector256.Create(LogFloor), Vector256.Create(Epsilon));
            Vector256<double> s0 = default, s1 = default;
            for (; i <= p.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pv = Vector256.LoadUnsafe(ref rp, (nuint)i);
                var yv = Vector256.LoadUnsafe(ref ry, (nuint)i);
                var q = one - pv;
                // Vector256.Max propagates NaN like Math.Max, so a diverged p still gives a NaN loss.
                var loss = (yv - one) * Vector256.Max(Vector256.Log(q), floor) - yv * Vector256.Max(Vector256.Log(pv), floor);
                ((pv - yv) / Vector256.Max(q * pv, eps)).StoreUnsafe(ref rd, (nuint)i);
                var (lo, hi) = Vector256.Widen(loss);
                (s0, s1) = (s0 + lo, s1 + hi);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < p.Length; i++)
        {
            var (pv, yv) = (p[i], y[i]);
            sum += (yv - 1f) * MathF.Max(MathF.Log(1f - pv), LogFloor) - yv * MathF.Max(MathF.Log(pv), LogFloor);
            derivative[i] = (pv - yv) / MathF.Max((1f - pv) * pv, Epsilon);
        }
        return sum;
    }

    /// <summary>Σℓᵢ of BCE on logits; writes dℓᵢ/dxᵢ. e^(−m) and e^(−x−m) are 1 and e^(−|x|) in some order, so one exp serves both.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    internal static double WithLogits(ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> derivative)
    {
        var i = 0;
        var sum = 0d;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ry = ref MemoryMarshal.GetReference(y);
            ref var rd = ref MemoryMarshal.GetReference(derivative);
            var one = Vector256<float>.One;
            Vector256<double> s0 = default, s1 = default;
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var xv = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var yv = Vector256.LoadUnsafe(ref ry, (nuint)i);
                var m = Vector256.Max(-xv, Vector256<float>.Zero);
                var e = Vector256.Exp(-Vector256.Abs(xv));
                var loss = (one - yv) * xv + m + Vector256.Log(one + e);
                var positive = Vector256.GreaterThanOrEqual(xv, Vector256<float>.Zero);
                var sigmoid = Vector256.ConditionalSelect(positive, one, e) / (one + e);
                (sigmoid - yv).StoreUnsafe(ref rd, (nuint)i);
                var (lo, hi) = Vector256.Widen(loss);
                (s0, s1) = (s0 + lo, s1 + hi);
            }
            sum = Vector256.Sum(s0 + s1);
        }
        for (; i < x.Length; i++)
        {
            var (xv, yv) = (x[i], y[i]);
            var m = MathF.Max(-xv, 0f);
            var e = MathF.Exp(-MathF.Abs(xv));
            sum += (1f - yv) * xv + m + MathF.Log(1f + e);
            derivative[i] = (xv >= 0f ? 1f : e) / (1f + e) - yv;
        }
        return sum;
    }
}
