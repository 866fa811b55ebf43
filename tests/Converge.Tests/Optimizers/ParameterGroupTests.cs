using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>Parameter groups: defaults filled from the options, per-group settings used, misuse refused.</summary>
public class ParameterGroupTests
{
    [Fact]
    public void Null_settings_come_from_the_options_and_given_ones_are_kept()
    {
        var (w, b) = (Tensor.Parameter([1f], 1), Tensor.Parameter([1f], 1));
        var adamW = new AdamW([new ParameterGroup([w]), new ParameterGroup([b], learningRate: 0.5, weightDecay: 0)], new AdamOptions { LearningRate = 0.01 });
        Assert.Equal([0.01, 0.5], adamW.ParamGroups.Select(static g => g.LearningRate));
        Assert.Equal([0.01, 0.0], adamW.ParamGroups.Select(static g => g.WeightDecay));
        Assert.Equal([0.01, 0.5], adamW.ParamGroups.Select(static g => g.InitialLearningRate));
        Assert.Equal([w, b], adamW.Parameters);
    }

    [Fact]
    public void Each_group_steps_with_its_own_learning_rate()
    {
        var (a, b) = (Tensor.Parameter([1f], 1), Tensor.Parameter([1f], 1));
        var sgd = new Sgd([new ParameterGroup([a], learningRate: 0.1), new ParameterGroup([b], learningRate: 0.3)]);
        (a + b).Sum().Backward();
        sgd.Step();
        Assert.Equal(1f - 0.1f, a.Data[0]);
        Assert.Equal(1f - 0.3f, b.Data[0]);
        sgd.LearningRate = 0.2;   // the optimizer-wide setter sets every group
        Assert.All(sgd.ParamGroups, static g => Assert.Equal(0.2, g.LearningRate));
    }

    [Fact]
    public void A_tensor_in_two_groups_and_a_group_in_two_optimizers_are_refused()
    {
        var p = Tensor.Parameter([1f], 1);
        Assert.Throws<ArgumentException>(() => new Adam([new ParameterGroup([p]), new ParameterGroup([p])]));
        var group = new ParameterGroup([Tensor.Parameter([1f], 1)]);
        _ = new Sgd([group]);
        Assert.Throws<ArgumentException>(() => new Sgd([group]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ParameterGroup([p], learningRate: -1));
    }

    [Fact]
    public void Clip_grad_norm_of_order_infinity_and_error_if_nonfinite()
    {
        var p = Tensor.Parameter([0f, 0f, 0f], 3);
        (p * new Tensor([3f, -4f, 1f], 3)).Sum().Backward();
        Assert.Equal(4.0, Optimizer.ClipGradNorm([p], 2.0, double.PositiveInfinity));
        Assert.Equal(2.0, p.Grad!.Max(static g => Math.Abs(g)), 1e-5);
        (p * new Tensor([float.NaN, 0f, 0f], 3)).Sum().Backward();
        Assert.Throws<InvalidOperationException>(() => Optimizer.ClipGradNorm([p], 1.0, errorIfNonfinite: true));
        Assert.True(double.IsNaN(Optimizer.ClipGradNorm([p], 1.0)));
        Assert.All(p.Grad!, static g => Assert.True(float.IsNaN(g)));   // PyTorch multiplies by the NaN coefficient too
    }

    [Fact]
    public void Clip_grad_value_clamps_every_element()
    {
        var p = Tensor.Parameter([0f, 0f, 0f], 3);
        (p * new Tensor([3f, -4f, 0.25f], 3)).Sum().Backward();
        Optimizer.ClipGradValue([p], 0.5);
        Assert.Equal([0.5f, -0.5f, 0.25f], p.Grad!);
    }
}
