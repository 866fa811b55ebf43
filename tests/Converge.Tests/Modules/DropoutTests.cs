using Converge.Modules;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Modules;

/// <summary>Dropout: inverted scaling, a reproducible mask from the seeded generator, identity in eval mode.</summary>
public class DropoutTests
{
    [Fact]
    public void Gradient_with_a_fixed_mask_passes_gradcheck()
    {
        var x = GradCheck.Parameter(61, [5, 4]);
        // A fresh module with the same seed draws the same mask on every evaluation.
        GradCheck.Check(() => new Dropout(0.3, new Generator(7)).Forward(x), x);
    }

    [Fact]
    public void Kept_elements_are_scaled_by_one_over_one_minus_p_and_the_rest_are_zero()
    {
        var x = Tensor.Full(2f, 100, 100);
        var y = new Dropout(0.25, new Generator(1)).Forward(x);
        var keep = 2f * (float)(1 / (1 - 0.25));
        Assert.All(y.Data, v => Assert.True(v == 0f || v == keep, $"unexpected value {v}"));
        var dropped = y.Data.Count(static v => v == 0f) / 10000.0;
        Assert.InRange(dropped, 0.25 - 0.02, 0.25 + 0.02);   // binomial sd 0.0043: ±0.02 is over 4 sd
        Assert.Equal(2.0, y.Data.Average(static v => (double)v), 0.1);
    }

    [Fact]
    public void Same_seed_gives_the_same_mask_and_successive_calls_differ()
    {
        var x = Tensor.Ones(4, 8);
        var first = new Dropout(0.5, new Generator(3));
        var second = new Dropout(0.5, new Generator(3));
        var a = first.Forward(x).Data;
        Assert.Equal(a, second.Forward(x).Data);
        Assert.NotEqual(a, first.Forward(x).Data);
    }

    [Fact]
    public void Eval_mode_and_p_zero_are_the_identity()
    {
        var x = GradCheck.Parameter(62, [3, 3]);
        var dropout = new Dropout(0.5);
        dropout.Eval();
        Assert.Same(x, dropout.Forward(x));
        Assert.Same(x, new Dropout(0).Forward(x));
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.0)]
    public void Probability_outside_zero_one_is_rejected(double p)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Dropout(p));
        Assert.Contains(p.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }
}
