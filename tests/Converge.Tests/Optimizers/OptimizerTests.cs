using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>The Optimizer base: ZeroGrad, learning-rate checks, ClipGradNorm (torch.nn.utils.clip_grad_norm_).</summary>
public class OptimizerTests
{
    [Fact]
    public void ClipGradNorm_scales_all_gradients_together_to_the_max_norm()
    {
        var (a, b) = (Tensor.Parameter([0f, 0f], 2), Tensor.Parameter([0f], 1));
        ((a * new Tensor([3f, 0f], 2)).Sum() + (b * 4f).Sum()).Backward();   // gradients [3, 0] and [4]: norm 5
        var norm = Optimizer.ClipGradNorm([a, b], 1.0);
        Assert.Equal(5.0, norm, 1e-12);
        var coefficient = 1.0 / (5.0 + 1e-6);   // PyTorch adds 1e-6 to the norm
        Assert.Equal(3 * coefficient, a.Grad![0], 1e-7);
        Assert.Equal(4 * coefficient, b.Grad![0], 1e-7);
    }

    [Fact]
    public void ClipGradNorm_leaves_small_gradients_alone_and_skips_missing_ones()
    {
        var (a, none) = (Tensor.Parameter([0f, 0f], 2), Tensor.Parameter([1f], 1));
        (a * new Tensor([0.3f, 0.4f], 2)).Sum().Backward();
        Assert.Equal(0.5, Optimizer.ClipGradNorm([a, none], 1.0), 1e-7);
        Assert.Equal([0.3f, 0.4f], a.Grad!);
        Assert.Null(none.Grad);
        Assert.Throws<ArgumentOutOfRangeException>(() => Optimizer.ClipGradNorm([a], 0));
    }

    [Fact]
    public void ZeroGrad_fills_zeros_and_invalid_learning_rates_are_rejected()
    {
        var p = Tensor.Parameter([1f, 2f], 2);
        var sgd = new Sgd([p]);
        (p * p).Sum().Backward();
        sgd.ZeroGrad();
        Assert.Equal([0f, 0f], p.Grad!);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = double.NaN);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = -1);
        Assert.Throws<ArgumentException>(() => new Sgd(Array.Empty<Tensor>()));
    }
}
