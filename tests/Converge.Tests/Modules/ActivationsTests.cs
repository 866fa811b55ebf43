using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>
/// Sigmoid, Tanh, ReLU (and log-sigmoid as −softplus(−x)) against vectors.json → activations.
/// </summary>
/// <remarks>
/// Tolerance: relative 2e-6 plus absolute 2⁻²⁴ ≈ 6e-8. The reference is float64; in float32
/// σ(x) rounds to exactly 1 from x ≈ 16.6 (float64: 36.7), so the derivative s·(1 − s) computed
/// from the saved output is 0 at x = 20 where float64 has 2.06e-9, and e^100 overflows float32 so
/// σ(−100) is 0 instead of 3.7e-44. Those gaps are below the absolute floor, which is the float32
/// resolution of values near 1; elsewhere the agreement is a few ulps (observed: 3.2e-7 relative, tanh′).
/// </remarks>
public class ActivationsTests
{
    private const double Relative = 2e-6;
    private const double Absolute = 6e-8;

    [Theory]
    [InlineData("sigmoid")]
    [InlineData("tanh")]
    [InlineData("relu")]
    [InlineData("log_sigmoid")]
    public void Value_and_derivative_match_PyTorch(string name)
    {
        var vectors = ReferenceVectors.Load("activations");
        var x = new Tensor(ReferenceVectors.Floats(vectors, "x"), vectors.GetProperty("x").GetArrayLength()) { RequiresGrad = true };
        var y = name switch
        {
            "sigmoid" => new Sigmoid().Forward(x),
            "tanh" => new Tanh().Forward(x),
            "relu" => new ReLU().Forward(x),
            _ => x.Neg().Softplus().Neg(),
        };
        var expected = vectors.GetProperty(name);
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "value"), y.Data, Relative, Absolute, name);
        y.Sum().Backward();
        ReferenceVectors.Close(ReferenceVectors.Doubles(expected, "derivative"), x.Grad!, Relative, Absolute, name + "'");
        Assert.All(y.Data, static v => Assert.True(float.IsFinite(v)));
        Assert.All(x.Grad!, static v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void LeakyReLU_module_uses_its_slope()
    {
        var x = GradCheck.Parameter(91, [3, 3], reject: static v => MathF.Abs(v) < 0.05f);
        var module = new LeakyReLU(0.2f);
        var y = module.Forward(x);
        for (var i = 0; i < x.Length; i++) Assert.Equal(x.Data[i] > 0 ? x.Data[i] : 0.2f * x.Data[i], y.Data[i]);
        Assert.Equal(0.01f, new LeakyReLU().NegativeSlope);
        GradCheck.Check(() => module.Forward(x), x);
    }
}
