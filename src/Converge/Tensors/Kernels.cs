using System.Numerics.Tensors;

namespace Converge.Tensors;

/// <summary>
/// Elementwise kernels that TensorPrimitives does not provide directly. Vector math goes through
/// TensorPrimitives; loops here are the ones with a branch per element.
/// </summary>
internal static class Kernels
{
    public static float Sigmoid(float x) => x >= 0f ? 1f / (1f + MathF.Exp(-x)) : MathF.Exp(x) / (1f + MathF.Exp(x));

    public static double SumDouble(ReadOnlySpan<float> values)
    {
        var sum = 0d;
        foreach (var v in values) sum += v;
        return sum;
    }

    public static void AccumulateInto(ReadOnlySpan<float> source, Span<float> target) => TensorPrimitives.Add(target, source, target);

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

    /// <summary>grad += outGrad · s·(1 − s), from the saved output s.</summary>
    public static void AccumulateSigmoidGrad(ReadOnlySpan<float> s, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        for (var i = 0; i < s.Length; i++) grad[i] += outGrad[i] * ((1f - s[i]) * s[i]);
    }

    /// <summary>grad += outGrad · (1 − t²), from the saved output t.</summary>
    public static void AccumulateTanhGrad(ReadOnlySpan<float> t, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        for (var i = 0; i < t.Length; i++) grad[i] += outGrad[i] * (1f - t[i] * t[i]);
    }

    /// <summary>grad += outGrad where x &gt; 0 (strictly: the derivative at 0 is 0).</summary>
    public static void AccumulateReluGrad(ReadOnlySpan<float> x, ReadOnlySpan<float> outGrad, Span<float> grad)
    {
        for (var i = 0; i < x.Length; i++) if (x[i] > 0f) grad[i] += outGrad[i];
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
