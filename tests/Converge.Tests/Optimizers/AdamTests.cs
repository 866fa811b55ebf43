using Converge.Optimizers;
using Converge.Tensors;

namespace Converge.Tests.Optimizers;

/// <summary>Adam against the PyTorch runs (tolerances in <see cref="OptimizerReplay"/>), defaults and argument checks.</summary>
public class AdamTests
{
    [Fact]
    public void Defaults_are_PyTorchs()
    {
        var settings = OptimizerReplay.Settings("adam");
        var defaults = new AdamOptions { LearningRate = settings.GetProperty("lr").GetDouble() };
        Assert.Equal(settings.GetProperty("betas")[0].GetDouble(), defaults.Beta1);
        Assert.Equal(settings.GetProperty("betas")[1].GetDouble(), defaults.Beta2);
        Assert.Equal(settings.GetProperty("eps").GetDouble(), defaults.Epsilon);
        Assert.Null(defaults.WeightDecay);   // null: each optimizer's own default
        Assert.Equal(settings.GetProperty("weight_decay").GetDouble(), new Adam([Tensor.Parameter([0f], 1)], defaults).ParamGroups[0].WeightDecay);
        Assert.Equal(settings.GetProperty("amsgrad").GetBoolean(), defaults.Amsgrad);
        Assert.Equal(1e-3, new AdamOptions().LearningRate);
    }

    [Fact]
    public void Plain_run_matches_PyTorch() =>
        OptimizerReplay.Replay("adam", p => new Adam([p], new AdamOptions { LearningRate = 0.01 }));

    [Fact]
    public void Coupled_L2_weight_decay_run_matches_PyTorch() =>
        OptimizerReplay.Replay("adam_l2_weight_decay", p => new Adam([p], new AdamOptions { LearningRate = 0.01, WeightDecay = 0.1 }));

    [Fact]
    public void Beta2_0_9_run_matches_PyTorch() =>
        OptimizerReplay.Replay("adam_b2_0.9", p => new Adam([p], new AdamOptions { LearningRate = 0.3, Beta2 = 0.9 }));

    [Fact]
    public void Amsgrad_run_matches_PyTorch() =>
        OptimizerReplay.Replay("adam_amsgrad_b2_0.9", p => new Adam([p], new AdamOptions { LearningRate = 0.3, Beta2 = 0.9, Amsgrad = true }));

    [Fact]
    public void A_parameter_without_a_gradient_is_not_touched_and_StepCount_follows_the_first()
    {
        var (used, unused) = (Tensor.Parameter([1f, 2f], 2), Tensor.Parameter([3f, 4f], 2));
        var adam = new Adam([used, unused], new AdamOptions { LearningRate = 0.1, WeightDecay = 0.5 });
        (used * used).Sum().Backward();
        adam.Step();
        adam.Step();
        Assert.Equal([3f, 4f], unused.Data);
        Assert.Null(unused.Grad);
        Assert.Equal(2, adam.StepCount);
    }

    [Fact]
    public void First_step_moves_each_parameter_by_about_lr_against_the_gradient_sign()
    {
        var p = Tensor.Parameter([1f, -2f, 1e-6f], 3);
        var adam = new Adam([p], new AdamOptions { LearningRate = 0.01 });
        (p * new Tensor([3f, -0.001f, 5f], 3)).Sum().Backward();   // gradients 3, −0.001, 5
        adam.Step();
        Assert.Equal(1f - 0.01f, p.Data[0], 1e-6f);
        Assert.Equal(-2f + 0.01f, p.Data[1], 1e-5f);
        Assert.Equal(1e-6f - 0.01f, p.Data[2], 1e-6f);
    }

    [Theory]
    [InlineData(-0.25, 0.9, 0.999, 1e-8, 0.0, -0.25)]
    [InlineData(0.1, 1.0, 0.999, 1e-8, 0.0, 1.0)]
    [InlineData(0.1, 0.9, -0.5, 1e-8, 0.0, -0.5)]
    [InlineData(0.1, 0.9, 0.999, -1.0, 0.0, -1.0)]
    [InlineData(0.1, 0.9, 0.999, 1e-8, -0.75, -0.75)]
    public void Invalid_options_are_rejected_naming_the_value(double lr, double beta1, double beta2, double eps, double decay, double bad)
    {
        var options = new AdamOptions { LearningRate = lr, Beta1 = beta1, Beta2 = beta2, Epsilon = eps, WeightDecay = decay };
        var error = Assert.ThrowsAny<ArgumentException>(() => new Adam([Tensor.Parameter([1f], 1)], options));
        Assert.Contains(bad.ToString(System.Globalization.CultureInfo.CurrentCulture), error.Message, StringComparison.Ordinal);
    }
}
