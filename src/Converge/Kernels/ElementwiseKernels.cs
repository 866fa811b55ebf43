using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Converge.Kernels;

/// <summary>
/// Elementwise kernels that TensorPrimitives does not provide directly. Vector math goes through
/// TensorPrimitives; loops here are the ones with a branch per element.
/// </summary>
internal static class ElementwiseKernels
{
    public static float Sigmoid(float x) => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    public static double SumDouble(ReadOnlySpan<float> values)
    {
        var sum = 0d;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static void AccumulateInto(ReadOnlySpan<float> source, Span<float> target) => TensorPrimitives.Add(target, source, target);

    /// <summary>
    /// tanh elementwise with MathF.Tanh (correctly rounded in practice, as PyTorch's Sleef u10 kernel is
    /// within 1 ulp): TensorPrimitives.Tanh is off by up to 3e-4 relative near 0 and near ±1.
    /// </summary>
    public static void Tanh(ReadOnlySpan<float> x, Span<float> destination)
    {
        for (var i = 0; i < x.Length; i++) destination[i] = MathF.Tanh(x[i]);
    }

    /// <summary>log(1 + e^x) with PyTorch's threshold: x itself above 20, else log1p(e^x), in double and rounded (accurate where e^x ≪ 1).</summary>
    public static float Softplus(float x) => x > 20f ? x : (float)Log1p(Math.Exp(x));

    /// <summary>σ-like derivative of softplus as PyTorch's softplus_backward computes it: z/(z + 1), z = e^x; 1 above the threshold.</summary>
    public static float SoftplusGrad(float x)
    {
        if (x > 20f) return 1f;
        var z = MathF.Exp(x);
        return z / (z + 1f);
    }

    /// <summary>ln(1 + u), accurate for tiny u (Goldberg's correction: ln(w)·u/(w − 1) with w = 1 + u).</summary>
    public static double Log1p(double u)
    {
        var w = 1 + u;
        return w == 1 ? u : Math.Log(w) * u / (w - 1);
    }

    /// <summary>xᵖ elementwise (x·x for p = 2).</summary>
    public static void Pow(ReadOnlySpan<float> x, float exponent, Span<float> destination)
    {
        if (exponent == 2f) TensorPrimitives.Multiply(x, x, destination);
        else if (exponent == 1f) x.CopyTo(destination);
        else TensorPrimitives.Pow(x, exponent, destination);
    }

    public static void Clamp(ReadOnlySpan<float> x, float min, float max, Span<float> destination)
    {
        TensorPrimitives.Max(x, min, destination);
        TensorPrimitives.Min(destination, max, destination);
    }

    /// <summary>
    /// σ(x) = 1/(1 + e^(−x)) elementwise, with e^x by Cephes' expf (range reduction by ln 2 in two
    /// parts, a degree-5 polynomial, scaling by 2ⁿ through the exponent bits): within 2 ulp of the
    /// libm value and about 4× faster than TensorPrimitives.Sigmoid, which widens to double.
    /// As PyTorch's 1/(1 + e^(−x)): e^(−x) overflows to ∞ for x &lt; −88.72, so σ is exactly 0 there
    /// (subnormal just above), and exactly 1 for large x; NaN stays NaN.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void Sigmoid(ReadOnlySpan<float> x, Span<float> destination)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var rd = ref MemoryMarshal.GetReference(destination);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var v = Vector256.LoadUnsafe(ref rx, (nuint)i);
                var s = Vector256<float>.One / (Vector256<float>.One + Exp(-v));
                Vector256.ConditionalSelect(Vector256.Equals(v, v), s, v).StoreUnsafe(ref rd, (nuint)i);
            }
        }
        for (; i < x.Length; i++) destination[i] = 1f / (1f + MathF.Exp(-x[i]));
    }

    /// <summary>
    /// Cephes expf on a register. Inputs are clamped to [−104, 89], beyond which e^x is 0 or ∞ in
    /// float32; 2ⁿ is applied in two halves so that the result overflows to ∞ above ln(float.MaxValue)
    /// and underflows gradually through the subnormals, as libm's expf does.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Exp(Vector256<float> x)
    {
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-104f)), Vector256.Create(89f));
        var n = Vector256.Floor(Vector256.FusedMultiplyAdd(x, Vector256.Create(1.44269504088896341f), Vector256.Create(0.5f)));
        x = Vector256.FusedMultiplyAdd(n, Vector256.Create(-0.693359375f), x);
        x = Vector256.FusedMultiplyAdd(n, Vector256.Create(2.12194440e-4f), x);
        var y = Vector256.Create(1.9875691500E-4f);
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.3981999507E-3f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(8.3334519073E-3f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(4.1665795894E-2f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.6666665459E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(5.0000001201E-1f));
        y = Vector256.FusedMultiplyAdd(y, x * x, x + Vector256<float>.One);
        // n ∈ [−150, 128]: 2ⁿ = 2^(n/2)·2^(n − n/2), each factor a normal float.
        var ni = Vector256.ConvertToInt32(n);
        var half = Vector256.ShiftRightArithmetic(ni, 1);
        var bias = Vector256.Create(127);
        var scale1 = Vector256.ShiftLeft(half + bias, 23).AsSingle();
        var scale2 = Vector256.ShiftLeft(ni - half + bias, 23).AsSingle();
        return y * scale1 * scale2;
    }

    /// <summary>grad += outGrad · (1 − s) · s, from the saved output s, in PyTorch's order. The vector loop rounds as the scalar one (no FMA).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateSigmoidGrad(ReadOnlySpan<float> s, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && s.Length >= Vector256<float>.Count)
        {
            ref var rs = ref MemoryMarshal.GetReference(s);
            ref var ro = ref MemoryMarshal.GetReference(outGrad);
            ref var rg = ref MemoryMarshal.GetReference(grad);
            var one = Vector256<float>.One;
            for (; i <= s.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var sv = Vector256.LoadUnsafe(ref rs, (nuint)i);
                var g = Vector256.LoadUnsafe(ref rg, (nuint)i) + Vector256.LoadUnsafe(ref ro, (nuint)i) * (one - sv) * sv;
                g.StoreUnsafe(ref rg, (nuint)i);
            }
        }
        for (; i < s.Length; i++) grad[i] += outGrad[i] * (1f - s[i]) * s[i];
    }

    /// <summary>grad += outGrad · (1 − t²), from the saved output t.</summary>
    public static void AccumulateTanhGrad(ReadOnlySpan<float> t, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        for (var i = 0; i < t.Length; i++) grad[i] += outGrad[i] * (1f - t[i] * t[i]);
    }

    /// <summary>grad += outGrad where x &gt; 0 (strictly: the derivative at 0 is 0).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateReluGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        var i = 0;
        if (Vector256.IsHardwareAccelerated && x.Length >= Vector256<float>.Count)
        {
            ref var rx = ref MemoryMarshal.GetReference(x);
            ref var ro = ref MemoryMarshal.GetReference(outGrad);
            ref var rg = ref MemoryMarshal.GetReference(grad);
            for (; i <= x.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var pass = Vector256.GreaterThan(Vector256.LoadUnsafe(ref rx, (nuint)i), Vector256<float>.Zero);
                var g = Vector256.LoadUnsafe(ref rg, (nuint)i);
                // Where x ≤ 0 the gradient is kept as is (not g + 0, which would turn −0 into +0).
                Vector256.ConditionalSelect(pass, g + Vector256.LoadUnsafe(ref ro, (nuint)i), g).StoreUnsafe(ref rg, (nuint)i);
            }
        }
        for (; i < x.Length; i++) if (x[i] > 0f) grad[i] += outGrad[i];
    }

    /// <summary>
    /// destination[r, c] = x[r, c] + row[c] for a [rows, cols] matrix: a Linear layer's bias. When cols
    /// divides the vector width the row is tiled across a register and the matrix added as one flat array.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void AddRowBroadcast(ReadOnlySpan<float> x, ReadOnlySpan<float> row, Span<float> destination, int rows, int cols)
    {
        if (cols == 1)
        {
            TensorPrimitives.Add(x[..rows], row[0], destination);
            return;
        }
        if (cols >= 16 || !Vector256.IsHardwareAccelerated || Vector256<float>.Count % cols != 0)
        {
            for (var r = 0; r < rows; r++)
                TensorPrimitives.Add(x.Slice(r * cols, cols), row, destination.Slice(r * cols, cols));
            return;
        }
        Span<float> tile = stackalloc float[Vector256<float>.Count];
        for (var l = 0; l < tile.Length; l++) tile[l] = row[l % cols];
        var b = Vector256.Create<float>(tile);
        var n = rows * cols;
        ref var rx = ref MemoryMarshal.GetReference(x);
        ref var rd = ref MemoryMarshal.GetReference(destination);
        var i = 0;
        for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            (Vector256.LoadUnsafe(ref rx, (nuint)i) + b).StoreUnsafe(ref rd, (nuint)i);
        for (; i < n; i++) destination[i] = x[i] + row[i % cols];
    }

    /// <summary>
    /// target[c] += sign · Σ_r source[r, c]: the gradient of a row broadcast (a bias). Small widths that
    /// divide the vector width are summed as one flat array in vector lanes, then folded per column.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]
    public static void AccumulateColumnSums(ReadOnlySpan<float> source, Span<float> target, int rows, int cols, float sign)
    {
        if (cols == 1)
        {
            target[0] += sign * TensorPrimitives.Sum(source[..rows]);
            return;
        }
        if (cols >= 16 || !Vector256.IsHardwareAccelerated || Vector256<float>.Count % cols != 0)
        {
            for (var r = 0; r < rows; r++)
            {
                var slice = source.Slice(r * cols, cols);
                if (sign == 1f) TensorPrimitives.Add(target, slice, target);
                else TensorPrimitives.Subtract(target, slice, target);
            }
            return;
        }
        var n = rows * cols;
        ref var rs = ref MemoryMarshal.GetReference(source);
        Vector256<float> a0 = default, a1 = default;
        var i = 0;
        for (; i <= n - (2 * Vector256<float>.Count); i += 2 * Vector256<float>.Count)
        {
            a0 += Vector256.LoadUnsafe(ref rs, (nuint)i);
            a1 += Vector256.LoadUnsafe(ref rs, (nuint)(i + Vector256<float>.Count));
        }
        Span<float> lanes = stackalloc float[Vector256<float>.Count];
        (a0 + a1).CopyTo(lanes);
        Span<float> sums = stackalloc float[cols];
        sums.Clear();
        for (var l = 0; l < lanes.Length; l++) sums[l % cols] += lanes[l];
        for (; i < n; i++) sums[i % cols] += source[i];
        for (var c = 0; c < cols; c++) target[c] += sign * sums[c];
    }

    public static void LeakyRelu(ReadOnlySpan<float> x, float slope, Span<float> destination)
    {
        for (var i = 0; i < x.Length; i++) destination[i] = x[i] > 0f ? x[i] : slope * x[i];
    }

    public static void AccumulateLeakyReluGrad(ReadOnlySpan<float> x, float slope, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        for (var i = 0; i < x.Length; i++) grad[i] += x[i] > 0f ? outGrad[i] : slope * outGrad[i];
    }
}
