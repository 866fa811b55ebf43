using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>
/// Elementwise functions: values against double-precision System.Math (relative 2e-6: a few float32
/// ulps, since TensorPrimitives' vectorized exp/log/tanh are not correctly rounded) and gradients
/// with <see cref="GradCheck"/> on inputs kept away from kinks.
/// </summary>
public class TensorUnaryTests
{
    private const double Relative = 2e-6;
    private const double Absolute = 1e-7;

    public static TheoryData<string> Functions() =>
        ["neg", "exp", "log", "sqrt", "pow2", "pow3", "pow0.5", "pow-1.5", "pow1", "sigmoid", "tanh", "relu", "leaky_relu", "leaky_relu0.2", "softplus_below", "softplus_above", "softplus_negative"];

    [Theory]
    [MemberData(nameof(Functions))]
    public void Function_matches_double_math_and_passes_gradcheck(string name)
    {
        // Domains: positive for log/sqrt/fractional powers; ReLU-like inputs at least 0.05 from 0;
        // softplus on both sides of its threshold 20 (x > 20 returns x itself).
        var positive = name is "log" or "sqrt" or "pow0.5" or "pow-1.5";
        var (low, high) = name switch
        {
            "softplus_below" => (15.0, 19.5),
            "softplus_above" => (20.5, 25.0),
            "softplus_negative" => (-8.0, 3.0),
            _ when positive => (0.3, 3.0),
            _ => (-3.0, 3.0),
        };
        var x = GradCheck.Parameter(7, [3, 4], low, high, reject: static v => MathF.Abs(v) < 0.05f);
        (Func<Tensor> F, Func<double, double> Reference) pair = name switch
        {
            "neg" => (() => x.Neg(), static v => -v),
            "exp" => (() => x.Exp(), Math.Exp),
            "log" => (() => x.Log(), Math.Log),
            "sqrt" => (() => x.Sqrt(), Math.Sqrt),
            "pow2" => (() => x.Pow(2f), static v => v * v),
            "pow3" => (() => x.Pow(3f), static v => v * v * v),
            "pow0.5" => (() => x.Pow(0.5f), Math.Sqrt),
            "pow-1.5" => (() => x.Pow(-1.5f), static v => Math.Pow(v, -1.5)),
            "pow1" => (() => x.Pow(1f), static v => v),
            "sigmoid" => (() => x.Sigmoid(), static v => 1 / (1 + Math.Exp(-v))),
            "tanh" => (() => x.Tanh(), Math.Tanh),
            "relu" => (() => x.Relu(), static v => Math.Max(v, 0)),
            "leaky_relu" => (() => x.LeakyRelu(), static v => v > 0 ? v : 0.01 * v),
            "leaky_relu0.2" => (() => x.LeakyRelu(0.2f), static v => v > 0 ? v : 0.2 * v),
            "softplus_above" => (() => x.Softplus(), static v => v),
            _ => (() => x.Softplus(), static v => Math.Log(1 + Math.Exp(v))),
        };
        ReferenceVectors.Close([.. x.Data.Select(v => pair.Reference(v))], pair.F().Data, Relative, Absolute, name);
        GradCheck.Check(pair.F, x);
    }

    [Fact]
    public void Softplus_has_PyTorchs_threshold_of_20()
    {
        var x = Tensor.Parameter([19.9f, 20f, 20.1f], 3);
        var y = x.Softplus();
        ReferenceVectors.Close([Math.Log(1 + Math.Exp(19.9f)), Math.Log(1 + Math.Exp(20.0)), 20.1f], y.Data, Relative, 0, "softplus");
        y.Sum().Backward();
        ReferenceVectors.Close([1 / (1 + Math.Exp(-19.9f)), 1 / (1 + Math.Exp(-20.0)), 1], x.Grad!, Relative, 0, "softplus'");
    }

    [Fact]
    public void Clamp_passes_the_gradient_inside_and_on_the_bounds_and_blocks_it_outside()
    {
        var x = Tensor.Parameter([-2f, -0.5f, 0.1f, 0.7f, 3f], 5);
        var y = x.Clamp(-0.5f, 0.7f);
        Assert.Equal([-0.5f, -0.5f, 0.1f, 0.7f, 0.7f], y.Data);
        y.Sum().Backward();
        Assert.Equal([0f, 1f, 1f, 1f, 0f], x.Grad!);   // PyTorch: min ≤ x ≤ max passes, bounds included
    }

    [Theory]
    [InlineData(-0.5f, 0.7f)]
    [InlineData(float.NegativeInfinity, 0.7f)]
    [InlineData(-0.5f, float.PositiveInfinity)]
    public void Clamp_passes_gradcheck_inside_and_outside_the_range(float min, float max)
    {
        var x = GradCheck.Parameter(8, [4, 5], reject: v => MathF.Abs(v - min) < 0.05f || MathF.Abs(v - max) < 0.05f);
        Assert.Contains(x.Data, v => v < min || v > max);
        Assert.Contains(x.Data, v => v > min && v < max);
        GradCheck.Check(() => x.Clamp(min, max), x);
    }

    [Fact]
    public void Clamp_rejects_min_above_max()
    {
        var ex = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2).Clamp(1f, 0f));
        Assert.Contains("1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Relu_and_LeakyRelu_derivatives_at_exactly_zero_follow_PyTorch()
    {
        var x = Tensor.Parameter([0f], 1);
        x.Relu().Sum().Backward();
        Assert.Equal(0f, x.Grad![0]);
        x.ClearGrad();
        x.LeakyRelu(0.2f).Sum().Backward();
        Assert.Equal(0.2f, x.Grad![0]);
    }

    [Fact]
    public void Comparisons_give_zero_one_masks_without_gradient()
    {
        var x = Tensor.Parameter([-1f, 0f, 2f, 3f], 2, 2);
        Assert.Equal([0f, 0f, 1f, 1f], x.Gt(0f).Data);
        Assert.Equal([0f, 1f, 1f, 1f], x.Ge(0f).Data);
        Assert.Equal([1f, 0f, 0f, 0f], x.Lt(0f).Data);
        Assert.Equal([1f, 1f, 0f, 0f], x.Le(0f).Data);
        Assert.Equal([0f, 0f, 1f, 0f], x.Eq(2f).Data);
        var row = new Tensor([0f, 3f], 2);
        Assert.Equal([0f, 0f, 1f, 0f], x.Gt(row).Data);   // [[-1>0, 0>3], [2>0, 3>3]]
        Assert.Equal([0f, 0f, 0f, 1f], x.Eq(row).Data);
        Assert.Equal([1f, 1f, 0f, 1f], x.Le(row).Data);
        Assert.Equal([1f, 0f, 1f, 0f], x.Lt(new Tensor([0f, 3f], 2, 1)).Data);  // column: [[-1<0, 0<0], [2<3, 3<3]]
        Assert.Equal([0f, 1f, 1f, 1f], x.Ge(Tensor.Scalar(0f)).Data);
        foreach (var mask in new[] { x.Gt(0f), x.Le(row) })
        {
            Assert.False(mask.RequiresGrad);
            Assert.True(mask.IsLeaf);
        }
    }
}
