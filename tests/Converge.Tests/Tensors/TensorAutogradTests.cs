using Converge.Tensors;

namespace Converge.Tests.Tensors;

/// <summary>The autograd core of <see cref="Tensor"/>: accumulation, reuse, NoGrad, Detach, Reshape, Backward's checks.</summary>
public class TensorAutogradTests
{
    [Fact]
    public void Leaf_gradients_accumulate_across_two_Backward_calls()
    {
        var x = GradCheck.Parameter(31, [2, 3]);
        Func<Tensor> f = () => (x * x).Sum();
        f().Backward();
        var once = (float[])x.Grad!.Clone();
        f().Backward();
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(2 * x.Data[i], once[i], 1e-6f);
            Assert.Equal(2 * once[i], x.Grad![i], 1e-6f);
        }
        x.ZeroGrad();
        Assert.All(x.Grad!, static g => Assert.Equal(0f, g));
    }

    [Fact]
    public void A_tensor_used_twice_gets_both_contributions()
    {
        var x = Tensor.Parameter([1.5f, -2f], 2);
        var y = x.Exp();
        // L = Σ (eˣ·x + eˣ) uses y twice and x twice: dL/dx = eˣ·x + eˣ + eˣ.
        (y * x + y).Sum().Backward();
        for (var i = 0; i < 2; i++)
            Assert.Equal(MathF.Exp(x.Data[i]) * (x.Data[i] + 2), x.Grad![i], 1e-5f);
        GradCheck.Check(() => { var e = x.Exp(); return e * x + e; }, x);
        GradCheck.Check(() => x * x, x);
    }

    [Fact]
    public void NoGrad_records_nothing_and_nests()
    {
        var x = Tensor.Parameter([1f, 2f], 2);
        Tensor inside;
        using (Tensor.NoGrad())
        {
            using (Tensor.NoGrad()) Assert.False(Tensor.IsGradEnabled);
            Assert.False(Tensor.IsGradEnabled);
            inside = (x * 3f).Sigmoid().Sum();
        }
        Assert.True(Tensor.IsGradEnabled);
        Assert.False(inside.RequiresGrad);
        Assert.Throws<InvalidOperationException>(inside.Backward);
        Assert.Null(x.Grad);
        Assert.True((x * 3f).RequiresGrad);
    }

    [Fact]
    public void Detach_cuts_the_graph_and_copies_the_values()
    {
        var x = Tensor.Parameter([1f, 2f, 3f], 3);
        var y = x * 2f;
        var detached = y.Detach();
        Assert.Equal(y.Data, detached.Data);
        Assert.NotSame(y.Data, detached.Data);
        Assert.False(detached.RequiresGrad);
        Assert.True(detached.IsLeaf);
        // Only the non-detached path contributes: d/dx Σ(2x + stop(2x)·x) = 2 + 2x.
        (y + detached * x).Sum().Backward();
        Assert.Equal([4f, 6f, 8f], x.Grad!);
    }

    [Fact]
    public void Reshape_keeps_the_values_in_order_and_passes_gradcheck()
    {
        var x = GradCheck.Parameter(32, [2, 3]);
        var y = x.Reshape(3, 2);
        Assert.Equal([3, 2], y.Shape);
        Assert.Equal(x.Data, y.Data);
        var w = GradCheck.Parameter(33, [2, 4]);
        GradCheck.Check(() => x.Reshape(3, 2).MatMul(w), x, w);
        GradCheck.Check(() => x.Reshape(6).Exp(), x);
        var error = Assert.Throws<ArgumentException>(() => x.Reshape(4, 2));
        Assert.Contains("[2, 3]", error.Message, StringComparison.Ordinal);
        Assert.Contains("[4, 2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Intermediate_gradients_are_reset_between_backward_passes()
    {
        var x = Tensor.Parameter([0.5f], 1);
        var hidden = x.Tanh();
        var loss = (hidden * hidden).Sum();
        loss.Backward();
        var first = hidden.Grad![0];
        loss.Backward();
        Assert.Equal(first, hidden.Grad![0]);                 // recomputed, not doubled
        Assert.Equal(2 * first * (1 - hidden.Data[0] * hidden.Data[0]), x.Grad![0], 1e-6f);   // leaf: doubled
    }

    [Fact]
    public void Backward_needs_a_scalar_that_requires_grad()
    {
        var x = Tensor.Parameter([1f, 2f], 2);
        var vectorError = Assert.Throws<InvalidOperationException>((x * 2f).Backward);
        Assert.Contains("[2]", vectorError.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(Tensor.Zeros(2).Sum().Backward);
    }

    [Fact]
    public void Construction_checks_rank_and_length()
    {
        var rank = Assert.Throws<ArgumentException>(() => new Tensor(new float[8], 2, 2, 2));
        Assert.Contains("[2, 2, 2]", rank.Message, StringComparison.Ordinal);
        var length = Assert.Throws<ArgumentException>(() => new Tensor(new float[5], 2, 3));
        Assert.Contains("[2, 3]", length.Message, StringComparison.Ordinal);
        Assert.Contains("5", length.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Backward_with_a_gradient_is_the_vector_Jacobian_product()
    {
        var x = Tensor.Parameter([1f, -2f, 3f], 3);
        var v = new Tensor([0.5f, 2f, -1f], 3);
        (x * x).Backward(v);
        Assert.Equal([1f, -8f, -6f], x.Grad!);   // 2x·v, as torch's (x*x).backward(v)
        Assert.Throws<ArgumentException>(() => (x * x).Backward(new Tensor([1f, 2f], 2)));
    }
}
