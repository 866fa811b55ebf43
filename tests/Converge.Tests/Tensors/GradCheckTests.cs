using Converge.Tensors;
using Xunit.Sdk;

namespace Converge.Tests.Tensors;

/// <summary>The checker itself must be able to fail: a deliberately wrong backward is caught.</summary>
public class GradCheckTests
{
    [Theory]
    [InlineData(1.01f)]   // 1 % too large: just above the 2e-3 tolerance band for |grad| ≲ 1
    [InlineData(0f)]      // gradient dropped
    [InlineData(-1f)]     // wrong sign
    public void A_wrong_backward_is_reported(float factor)
    {
        var x = GradCheck.Parameter(41, [2, 2], 0.5, 2);
        Func<Tensor> f = () => Tensor.Custom([2, 2], "square_scaled_grad", [x],
            forward: output => { for (var i = 0; i < 4; i++) output.Data[i] = x.Data[i] * x.Data[i]; },
            backward: output => { for (var i = 0; i < 4; i++) x.GradSpan()[i] += factor * 2 * x.Data[i] * output.Grad![i]; });
        Assert.Throws<TrueException>(() => GradCheck.Check(f, x));
    }

    [Fact]
    public void The_same_op_with_a_correct_backward_passes()
    {
        var x = GradCheck.Parameter(41, [2, 2], 0.5, 2);
        GradCheck.Check(() => Tensor.Custom([2, 2], "square", [x],
            forward: output => { for (var i = 0; i < 4; i++) output.Data[i] = x.Data[i] * x.Data[i]; },
            backward: output => { for (var i = 0; i < 4; i++) x.GradSpan()[i] += 2 * x.Data[i] * output.Grad![i]; }), x);
    }
}
