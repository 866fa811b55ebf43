using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Converge.Training;

namespace Converge.Kernels;

/// <summary>The single-row product behind <see cref="Predictor"/> (batches use <see cref="PackedLinear"/>).</summary>
internal static class PredictorKernels
{
    /// <summary>
    /// W [out, in] → Wᵀ in output blocks of 64, then 8, then 1 (the widths <see cref="MatVec"/> takes):
    /// element (i, o + j) of the block starting at output o, B wide, sits at o·in + i·B + j, so each block
    /// is one contiguous in × B stream.
    /// </summary>
    public static float[] PackForMatVec(ReadOnlySpan<float> weight, int outF, int inF)
    {
        var packed = new float[outF * inF];
        for (var o = 0; o < outF;)
        {
            var width = o + 64 <= outF ? 64 : o + 8 <= outF ? 8 : 1;
            for (var i = 0; i < inF; i++)
                for (var j = 0; j < width; j++) packed[(o * inF) + (i * width) + j] = weight[((o + j) * inF) + i];
            o += width;
        }
        return packed;
    }

    /// <summary>y = W·x + b for one row. Wide layers use the blocked Wᵀ with 8 accumulators; narrow ones (the output) dot products.</summary>
    public static unsafe void MatVec(Predictor.Step step, float[] x, float[] y)
    {
        var (inF, outF) = (step.In, step.Width);
        if (outF < 8 || !Vector256.IsHardwareAccelerated)
        {
            for (var o = 0; o < outF; o++)
                y[o] = TensorPrimitives.Dot(step.Weight.AsSpan(o * inF, inF), x.AsSpan(0, inF)) + step.Bias[o];
            return;
        }
        fixed (float* wt = step.MatVecWeight, px = x, py = y, pb = step.Bias)
        {
            var o = 0;
            // 64 outputs at a time: eight independent FMA chains hide the FMA latency (4 cycles, 2 per cycle).
            for (; o + 64 <= outF; o += 64)
            {
                var a0 = Vector256.Load(pb + o); var a1 = Vector256.Load(pb + o + 8);
                var a2 = Vector256.Load(pb + o + 16); var a3 = Vector256.Load(pb + o + 24);
                var a4 = Vector256.Load(pb + o + 32); var a5 = Vector256.Load(pb + o + 40);
                var a6 = Vector256.Load(pb + o + 48); var a7 = Vector256.Load(pb + o + 56);
                var w = wt + (o * inF);
                for (var i = 0; i < inF; i++, w += 64)
                {
                    var xi = Vector256.Create(px[i]);
                    a0 = Vector256.FusedMultiplyAdd(Vector256.Load(w), xi, a0);
                    a1 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 8), xi, a1);
                    a2 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 16), xi, a2);
                    a3 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 24), xi, a3);
                    a4 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 32), xi, a4);
                    a5 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 40), xi, a5);
                    a6 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 48), xi, a6);
                    a7 = Vector256.FusedMultiplyAdd(Vector256.Load(w + 56), xi, a7);
                }
                a0.Store(py + o); a1.Store(py + o + 8); a2.Store(py + o + 16); a3.Store(py + o + 24);
                a4.Store(py + o + 32); a5.Store(py + o + 40); a6.Store(py + o + 48); a7.Store(py + o + 56);
            }
            for (; o + 8 <= outF; o += 8)
            {
                var a = Vector256.Load(pb + o);
                var w = wt + (o * inF);
                for (var i = 0; i < inF; i++, w += 8) a = Vector256.FusedMultiplyAdd(Vector256.Load(w), Vector256.Create(px[i]), a);
                a.Store(py + o);
            }
            for (; o < outF; o++)
            {
                var sum = pb[o];
                for (var i = 0; i < inF; i++) sum += px[i] * wt[(o * inF) + i];
                py[o] = sum;
            }
        }
    }
}
