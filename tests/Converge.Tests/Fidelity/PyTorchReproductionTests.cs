using Converge.Losses;
using Converge.Modules;
using Converge.Optimizers;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Fidelity;

/// <summary>
/// The seven differences from PyTorch 1.13 that issue #14 reported, each as its reproduction. The
/// expected numbers were printed by torch 1.13 (float32) for exactly these inputs; the random
/// differential suite (DifferentialTests) covers the same code over many more cases.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class PyTorchReproductionTests
{
    [Fact]
    public void Item1_layers_built_without_a_generator_draw_from_one_advancing_default_stream()
    {
        Generator.ManualSeed(0);
        var (a, b) = (new Linear(8, 8), new Linear(8, 8));
        Assert.NotEqual(a.Weight.Data, b.Weight.Data);

        // The README's network: W2 was exactly 0.5·W1ᵀ when both layers restarted Generator(0).
        var (first, second) = (new Linear(1, 4), new Linear(4, 1));
        Assert.NotEqual(first.Weight.Data.Select(static w => 0.5f * w), second.Weight.Data);
        Assert.NotEqual(0.5f * first.Bias!.Data[0], second.Bias!.Data[0]);

        // ManualSeed restarts the stream: the same sequence of layers gets the same weights again.
        Generator.ManualSeed(42);
        var again1 = new Linear(8, 8);
        var again2 = new Linear(8, 8);
        Generator.ManualSeed(42);
        Assert.Equal(again1.Weight.Data, new Linear(8, 8).Weight.Data);
        Assert.Equal(again2.Weight.Data, new Linear(8, 8).Weight.Data);

        // An explicit generator is still independent of the default stream.
        Assert.Equal(new Linear(3, 2, generator: new Generator(7)).Weight.Data, new Linear(3, 2, generator: new Generator(7)).Weight.Data);
    }

    [Fact]
    public void Item1_stacked_dropouts_drop_three_quarters()
    {
        Generator.ManualSeed(1);
        var x = Tensor.Ones(200, 100);
        var y = new Sequential(new Dropout(0.5), new Dropout(0.5)).Forward(x);
        var zeroFraction = y.Data.Count(static v => v == 0f) / (double)y.Length;
        // Independent masks: P(kept) = 0.25; 20,000 draws put the fraction within ±0.01 (3.3σ).
        Assert.InRange(zeroFraction, 0.74, 0.76);
    }

    [Fact]
    public void Item2_AdamW_options_without_weight_decay_use_PyTorchs_0_01()
    {
        var p = Tensor.Parameter([2f, -4f], 2);
        var adamW = new AdamW([p], new AdamOptions { LearningRate = 0.01 });
        Assert.Equal(0.01, adamW.ParamGroups[0].WeightDecay);
        (p * 0f).Sum().Backward();
        adamW.Step();
        // torch.optim.AdamW([p], lr=0.01), zero gradient, one step: [1.9997999668, -3.9995999336].
        Assert.Equal([1.9997999668121338f, -3.9995999336242676f], p.Data);
        // An explicit 0 is kept.
        Assert.Equal(0, new AdamW([Tensor.Parameter([1f], 1)], new AdamOptions { WeightDecay = 0 }).ParamGroups[0].WeightDecay);
    }

    [Theory]
    [InlineData(0.9999, 0.010000000707805157)]
    [InlineData(0.999, 0.009999999776482582)]
    public void Item3_Adam_rounds_one_minus_beta_from_double(double beta2, double torchValue)
    {
        var p = Tensor.Parameter([0f], 1);
        var adam = new Adam([p], new AdamOptions { LearningRate = 0.01, Beta2 = beta2 });
        (p - 1f).Pow(2f).Sum().Backward();
        adam.Step();
        // torch: p = [0], loss (p − 1)², Adam(lr=0.01, betas=(0.9, β2)), one step. Bit-identical.
        Assert.Equal((float)torchValue, p.Data[0]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(17)]
    public void Item4_sigmoid_saturates_to_zero_so_BCE_clamps_at_100_for_any_batch(int n)
    {
        var x = new Tensor([.. Enumerable.Repeat(-100f, n)], n);
        var loss = new BceLoss().Forward(x.Sigmoid(), Tensor.Ones(n));
        Assert.Equal(100f, loss.Item());   // torch: 100.0 for batches of 1, 8 and 9
        Assert.All(x.Sigmoid().Data, static s => Assert.Equal(0f, s));
    }

    [Fact]
    public void Item4_sigmoid_vector_path_is_subnormal_then_zero_like_libm()
    {
        // Eight lanes through the vector path; torch: σ(−88.5) = 3.6723016e-39, σ(−17) = 4.1399378e-08.
        float[] xs = [-88.5f, -17f, -89f, -200f, 0f, 30f, -16.5f, 100f];
        var s = new Tensor(xs, 8).Sigmoid().Data;
        Assert.Equal(3.672301610145117e-39f, s[0], 2e-45f);
        Assert.Equal(4.139937814784389e-08f, s[1], 1e-14f);
        Assert.Equal(0f, s[2]);
        Assert.Equal(0f, s[3]);
        Assert.Equal(0.5f, s[4]);
        Assert.Equal(1f, s[5]);
        Assert.Equal(6.825602838489431e-08f, s[6], 1e-14f);
        Assert.Equal(1f, s[7]);
    }

    [Fact]
    public void Item5_tanh_of_a_vector_is_accurate_near_zero_and_near_one()
    {
        var x = Tensor.Parameter([0f, 1e-4f, -3e-3f, 5f, -7f, 8.5f], 6);
        var t = x.Tanh();
        t.Sum().Backward();
        // torch.tanh on the same six values, and the gradient 1 − t².
        double[] torchValue = [0.0, 9.999999747378752e-05, -0.0029999909456819296, 0.9999092221260071, -0.9999983310699463, 0.9999999403953552];
        double[] torchGrad = [1.0, 1.0, 0.9999909996986389, 0.0001815475116018206, 3.3378573789377697e-06, 1.1920928955078125e-07];
        Assert.Equal(0f, t.Data[0]);
        for (var i = 0; i < 6; i++)
        {
            // One float32 ulp of the value (Sleef's u10 kernel and libm may differ by that); the
            // gradient near ±1 then differs by at most 2·ulp(t) absolute.
            Assert.True(Math.Abs(t.Data[i] - torchValue[i]) <= ulp(torchValue[i]), $"tanh[{i}] = {t.Data[i]}, torch {torchValue[i]}");
            Assert.True(Math.Abs(x.Grad![i] - torchGrad[i]) <= 2.5 * ulp(torchValue[i]) + ulp(torchGrad[i]), $"grad[{i}] = {x.Grad[i]}, torch {torchGrad[i]}");
        }

        static double ulp(double v) => v == 0 ? float.Epsilon : MathF.BitIncrement(MathF.Abs((float)v)) - MathF.Abs((float)v);
    }

    [Fact]
    public void Item6_per_element_BCE_with_logits_is_float32_so_a_unit_weight_changes_nothing()
    {
        var x = new Tensor([-16.5f, 14.42f, -100f, -88.5f, -17f], 5);
        var y = new Tensor([0f, 1f, 1f, 1f, 0f], 5);
        var none = new BceWithLogitsLoss(reduction: Reduction.None).Forward(x, y).Data;
        // torch: binary_cross_entropy_with_logits(x, y, reduction='none'), float32.
        Assert.Equal([1.1920928244535389e-07f, 5.960462772236497e-07f, 100f, 88.5f, 0f], none);
        var weighted = new BceWithLogitsLoss(weight: Tensor.Ones(5), reduction: Reduction.None).Forward(x, y).Data;
        Assert.Equal(none, weighted);
        Assert.Equal(new BceWithLogitsLoss().Forward(x, y).Item(), new BceWithLogitsLoss(weight: Tensor.Ones(5)).Forward(x, y).Item());
        Assert.Equal(new BceLoss().Forward(x.Sigmoid(), y).Item(), new BceLoss(weight: Tensor.Ones(5)).Forward(x.Sigmoid(), y).Item());
    }

    [Fact]
    public void Item7_softplus_keeps_tiny_values_and_pow_zero_has_zero_gradient()
    {
        var sp = Tensor.Parameter([-17f, -100f, 0f, 21f], 4);
        var s = sp.Softplus();
        Assert.Equal(4.139937814784389e-08f, s.Data[0], 4e-15f);   // torch.nn.functional.softplus(-17), within 1 ulp (3.6e-15)
        Assert.Equal(3.783505853677006e-44f, s.Data[1], 2e-45f);   // softplus(-100): a subnormal, not 0
        Assert.Equal(MathF.Log(2f), s.Data[2]);
        Assert.Equal(21f, s.Data[3]);                              // above the threshold 20: x itself

        var x = Tensor.Parameter([0f, 2f], 2);
        x.Pow(0f).Sum().Backward();
        Assert.Equal([0f, 0f], x.Grad!);                           // torch: [0., 0.], not NaN at x = 0
    }
}
