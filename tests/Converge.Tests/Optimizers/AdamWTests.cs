using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>AdamW: decoupled decay against the PyTorch run (tolerances in <see cref="OptimizerReplay"/>), its default decay.</summary>
public class AdamWTests
{
    [Fact]
    public void Decoupled_weight_decay_run_matches_PyTorch() =>
        OptimizerReplay.Replay("adamw", p => new AdamW([p], new AdamOptions { LearningRate = 0.01, WeightDecay = 0.1 }));

    [Fact]
    public void Default_weight_decay_is_0_01_and_decays_parameters_with_zero_gradient()
    {
        var p = Tensor.Parameter([2f, -4f], 2);
        var adamW = new AdamW([p]);
        Assert.Equal(AdamW.DefaultWeightDecay, adamW.ParamGroups[0].WeightDecay);
        Assert.Equal(0.01, AdamW.DefaultWeightDecay);
        // A zero gradient (not a missing one) still decays: θ·(1 − lr·λ), and m = v = 0 adds no step.
        (p * 0f).Sum().Backward();
        adamW.Step();
        Assert.Equal(2f * (1 - 1e-3f * 0.01f), p.Data[0], 1e-7f);
        Assert.Equal(-4f * (1 - 1e-3f * 0.01f), p.Data[1], 1e-7f);
    }

    [Fact]
    public void Decay_differs_from_Adams_coupled_L2()
    {
        var (a, b) = (Tensor.Parameter([1f, -2f], 2), Tensor.Parameter([1f, -2f], 2));
        var options = new AdamOptions { LearningRate = 0.1, WeightDecay = 0.5 };
        var (adam, adamW) = (new Adam([a], options), new AdamW([b], options));
        for (var i = 0; i < 3; i++)
        {
            adam.ZeroGrad();
            adamW.ZeroGrad();
            (a * a).Sum().Backward();
            (b * b).Sum().Backward();
            adam.Step();
            adamW.Step();
        }
        Assert.NotEqual(a.Data, b.Data);
    }
}
