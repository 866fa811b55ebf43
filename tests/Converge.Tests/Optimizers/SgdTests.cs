using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>SGD against the PyTorch runs (tolerances in <see cref="OptimizerReplay"/>), defaults and argument checks.</summary>
public class SgdTests
{
    [Fact]
    public void Plain_run_matches_PyTorch() =>
        OptimizerReplay.Replay("sgd_plain", p => new Sgd([p], new SgdOptions { LearningRate = 0.1 }));

    [Fact]
    public void Nesterov_with_weight_decay_run_matches_PyTorch() =>
        OptimizerReplay.Replay("sgd_nesterov", p => new Sgd([p], new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Nesterov = true, WeightDecay = 0.01 }));

    [Fact]
    public void Momentum_with_dampening_run_matches_PyTorch() =>
        OptimizerReplay.Replay("sgd_momentum_dampening", p => new Sgd([p], new SgdOptions { LearningRate = 0.05, Momentum = 0.9, Dampening = 0.5 }));

    [Fact]
    public void Defaults_match_PyTorchs_except_the_learning_rate_which_PyTorch_requires()
    {
        var settings = OptimizerReplay.Settings("sgd_plain");
        var options = new SgdOptions();
        Assert.Equal(settings.GetProperty("momentum").GetDouble(), options.Momentum);
        Assert.Equal(settings.GetProperty("dampening").GetDouble(), options.Dampening);
        Assert.Equal(settings.GetProperty("weight_decay").GetDouble(), options.WeightDecay);
        Assert.Equal(settings.GetProperty("nesterov").GetBoolean(), options.Nesterov);
    }

    [Fact]
    public void Zero_gradient_still_decays_but_a_missing_gradient_skips_the_parameter()
    {
        var (zero, missing) = (Tensor.Parameter([2f], 1), Tensor.Parameter([2f], 1));
        var sgd = new Sgd([zero, missing], new SgdOptions { LearningRate = 0.5, WeightDecay = 0.1 });
        (zero * 0f).Sum().Backward();
        sgd.Step();
        Assert.Equal(2f - 0.5f * 0.1f * 2f, zero.Data[0], 1e-7f);
        Assert.Equal(2f, missing.Data[0]);
    }

    [Fact]
    public void Learning_rate_is_read_at_every_step()
    {
        var p = Tensor.Parameter([1f], 1);
        var sgd = new Sgd([p], new SgdOptions { LearningRate = 0.1 });
        p.Sum().Backward();
        sgd.Step();
        sgd.LearningRate = 0.5;
        sgd.Step();
        Assert.Equal(1f - 0.1f - 0.5f, p.Data[0], 1e-7f);
        Assert.Equal(0.1, sgd.InitialLearningRate);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.9, 0.1)]
    public void Nesterov_needs_momentum_and_no_dampening(double momentum, double dampening)
    {
        var error = Assert.Throws<ArgumentException>(() => new Sgd([Tensor.Parameter([1f], 1)], new SgdOptions { Momentum = momentum, Dampening = dampening, Nesterov = true }));
        Assert.Contains("Nesterov", error.Message, StringComparison.Ordinal);
    }
}
