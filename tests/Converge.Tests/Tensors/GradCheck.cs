using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>
/// Finite-difference gradient checker for the float32 engine. The function under test is
/// reduced to a scalar L = Σ wᵢ·fᵢ with fixed pseudo-random weights wᵢ ∈ [−1, 1) (so every output
/// element gets its own upstream gradient, not just ones); the analytic dL/dx from Backward is
/// compared with the central difference (L(x + h) − L(x − h)) / (2h), accumulated in double.
/// </summary>
/// <remarks>
/// Step: h = <see cref="RelativeStep"/>·max(1, |x|), and the step actually taken is measured after
/// rounding x ± h to float32. Error budget in float32: rounding in L is about n·2⁻²⁴·|L| per
/// evaluation, divided by 2h ≈ 1e-2 gives ~1e-5·|L|; truncation is O(h²·f‴) ≈ 2.5e-5·f‴. Hence the
/// tolerance |analytic − numeric| ≤ <see cref="Tolerance"/>·max(1, |numeric|). Callers keep inputs
/// at least 10·h away from kinks (ReLU at 0, clamp bounds, the softplus threshold).
/// </remarks>
internal static class GradCheck
{
    public const double RelativeStep = 5e-3;
    public const double Tolerance = 2e-3;

    /// <summary>
    /// Checks d(Σ w·f)/dx for every element of every tensor in <paramref name="inputs"/> (each must
    /// require grad). <paramref name="f"/> must rebuild its graph from the inputs' current data.
    /// </summary>
    public static void Check(Func<Tensor> f, params Tensor[] inputs) => Check(f, Tolerance, inputs);

    public static void Check(Func<Tensor> f, double tolerance, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(f);
        foreach (var input in inputs)
        {
            Assert.True(input.RequiresGrad, $"GradCheck: input {input} does not require grad.");
            input.ClearGrad();
        }
        var output = f();
        var weights = Weights(output.Length);
        var weighted = output.Mul(new Tensor(weights, (int[])output.Shape.Clone())).Sum();
        weighted.Backward();
        var analytic = inputs.Select(x => x.Grad is null ? new float[x.Length] : (float[])x.Grad.Clone()).ToArray();

        for (var t = 0; t < inputs.Length; t++)
        {
            var data = inputs[t].Data;
            for (var i = 0; i < data.Length; i++)
            {
                var original = data[i];
                var h = RelativeStep * Math.Max(1.0, Math.Abs(original));
                var plus = (float)(original + h);
                var minus = (float)(original - h);
                data[i] = plus;
                var lPlus = Evaluate(f, weights);
                data[i] = minus;
                var lMinus = Evaluate(f, weights);
                data[i] = original;
                var numeric = (lPlus - lMinus) / ((double)plus - minus);
                var error = Math.Abs(analytic[t][i] - numeric);
                Assert.True(error <= tolerance * Math.Max(1.0, Math.Abs(numeric)),
                    $"GradCheck: input {t} ({inputs[t].Name ?? Tensor.ShapeToString(inputs[t].Shape)}) element {i} = {original}: analytic {analytic[t][i]}, numeric {numeric}.");
            }
        }
    }

    /// <summary>Random data in [low, high) from a seeded stream, optionally pushed away from kinks.</summary>
    public static Tensor Parameter(ulong seed, int[] shape, double low = -2, double high = 2, Func<float, bool>? reject = null)
    {
        var generator = new Generator(seed);
        var data = new float[Tensor.Count(shape)];
        for (var i = 0; i < data.Length; i++)
        {
            do data[i] = (float)generator.NextUniform(low, high);
            while (reject is not null && reject(data[i]));
        }
        return Tensor.Parameter(data, shape);
    }

    private static double Evaluate(Func<Tensor> f, float[] weights)
    {
        using var scope = Tensor.NoGrad();
        var output = f();
        var sum = 0d;
        for (var i = 0; i < output.Length; i++) sum += (double)weights[i] * output.Data[i];
        return sum;
    }

    private static float[] Weights(int n)
    {
        var generator = new Generator(12345);
        var w = new float[n];
        for (var i = 0; i < n; i++) w[i] = (float)generator.NextUniform(-1, 1);
        return w;
    }
}
