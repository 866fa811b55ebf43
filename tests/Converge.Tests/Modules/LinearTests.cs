using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>Linear: y = x·Wᵀ + b, its gradients, parameter names and shape checks.</summary>
public class LinearTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Forward_is_x_times_W_transposed_plus_b_and_passes_gradcheck(bool bias)
    {
        var linear = new Linear(3, 2, bias, new Generator(3));
        var x = GradCheck.Parameter(51, [4, 3]);
        var y = linear.Forward(x);
        Assert.Equal([4, 2], y.Shape);
        var expected = new double[8];
        for (var i = 0; i < 4; i++)
            for (var o = 0; o < 2; o++)
            {
                expected[i * 2 + o] = linear.Bias?.Data[o] ?? 0;
                for (var j = 0; j < 3; j++) expected[i * 2 + o] += (double)x.At(i, j) * linear.Weight.At(o, j);
            }
        ReferenceVectors.Close(expected, y.Data, 1e-6, 1e-6, "linear");
        Tensor[] inputs = bias ? [x, linear.Weight, linear.Bias!] : [x, linear.Weight];
        GradCheck.Check(() => linear.Forward(x), inputs);
    }

    [Fact]
    public void Parameters_are_named_like_PyTorch()
    {
        var linear = new Linear(3, 2);
        Assert.Equal(["weight", "bias"], linear.NamedParameters().Select(static p => p.Name));
        Assert.Equal([2, 3], linear.Weight.Shape);
        Assert.Equal([2], linear.Bias!.Shape);
        Assert.Equal(8, linear.ParameterCount());
        Assert.Equal(["weight"], new Linear(3, 2, bias: false).NamedParameters().Select(static p => p.Name));
    }

    [Fact]
    public void Wrong_input_width_names_the_shapes()
    {
        var error = Assert.Throws<ArgumentException>(() => new Linear(3, 2).Forward(Tensor.Zeros(4, 5)));
        Assert.Contains("[4, 5]", error.Message, StringComparison.Ordinal);
        Assert.Contains("3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ZeroGrad_clears_both_parameters()
    {
        var linear = new Linear(2, 2);
        linear.Forward(Tensor.Ones(3, 2)).Sum().Backward();
        Assert.Contains(linear.Weight.Grad!, static g => g != 0);
        linear.ZeroGrad();
        Assert.All(linear.Weight.Grad!, static g => Assert.Equal(0f, g));
        Assert.All(linear.Bias!.Grad!, static g => Assert.Equal(0f, g));
    }
}
