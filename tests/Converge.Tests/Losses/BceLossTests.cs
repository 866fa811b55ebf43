using System.Text.Json;
using Converge.Losses;
using Converge.Tensors;
using Converge.Tests.Tensors;

namespace Converge.Tests.Losses;

/// <summary>
/// BceLoss against vectors.json → losses (PyTorch 1.13, float64) and finite differences.
/// </summary>
/// <remarks>
/// Tolerance: relative 1e-6 plus absolute 1e-30. Probabilities are float32 (6e-8 relative rounding),
/// each element is computed in double and cast back. The absolute part covers p = 3.7e-44, which
/// float32 holds only as a subnormal. One element does not survive float32 at all: σ(20) =
/// 0.9999999979 rounds to exactly 1, so for target 0 the loss hits the −100 clamp (100 instead of
/// 19.99999997) and the gradient through the sigmoid is 0: the saturation the Q&amp;A describes, which float32
/// reaches at logit ≈ 16.6 instead of 36.7. That element is asserted separately.
/// </remarks>
public class BceLossTests
{
    private const double Relative = 1e-6;
    private const double Absolute = 1e-30;

    private static readonly JsonElement Vectors = ReferenceVectors.Load("losses");

    [Theory]
    [InlineData("bce_on_sigmoid")]
    [InlineData("bce_on_sigmoid_weight")]
    public void Probabilities_from_a_sigmoid_match_PyTorch_except_where_float32_saturates(string block)
    {
        var expected = Vectors.GetProperty(block);
        var probs = ReferenceVectors.Doubles(expected, "probs");
        var n = probs.Length;
        var targets = new Tensor(ReferenceVectors.Floats(Vectors, "targets"), n);
        var weight = expected.TryGetProperty("weight", out var w) ? new Tensor(ReferenceVectors.Floats(w), n) : null;
        var saturated = Enumerable.Range(0, n).Where(i => (float)probs[i] == 1f && probs[i] != 1).ToArray();
        Assert.Equal([5], saturated);
        bool Kept(int i) => !saturated.Contains(i);

        var p = Tensor.Parameter([.. probs.Select(static v => (float)v)], n);
        var perElement = new BceLoss(weight, Reduction.None).Forward(p, targets).Data;
        var expectedPerElement = ReferenceVectors.Doubles(expected, "per_element");
        for (var i = 0; i < n; i++)
        {
            if (Kept(i)) ReferenceVectors.Close(expectedPerElement[i], perElement[i], Relative, Absolute, $"per_element[{i}]");
            else Assert.Equal(100f * (weight?.Data[i] ?? 1f), perElement[i]);   // ln(1 − 1) clamped at −100
        }
        // The reductions, with the saturated element at its float32 value.
        var expectedSum = Enumerable.Range(0, n).Sum(i => Kept(i) ? expectedPerElement[i] : perElement[i]);
        ReferenceVectors.Close(expectedSum, new BceLoss(weight, Reduction.Sum).Forward(p, targets).Item(), Relative, 0, "sum");
        var mean = new BceLoss(weight).Forward(p, targets);
        ReferenceVectors.Close(expectedSum / n, mean.Item(), Relative, 0, "mean");
        mean.Backward();
        var expectedGradP = ReferenceVectors.Doubles(expected, "grad_probs_of_mean");
        for (var i = 0; i < n; i++)
            if (Kept(i)) ReferenceVectors.Close(expectedGradP[i], p.Grad![i], Relative, Absolute, $"grad_probs[{i}]");

        // The Q&A's path: logits → Sigmoid → BceLoss, in float32 throughout.
        var logits = Tensor.Parameter(ReferenceVectors.Floats(Vectors, "logits"), n);
        new BceLoss(weight).Forward(logits.Sigmoid(), targets).Backward();
        var expectedGradLogits = ReferenceVectors.Doubles(expected, "grad_logits_of_mean");
        for (var i = 0; i < n; i++)
        {
            if (Kept(i)) ReferenceVectors.Close(expectedGradLogits[i], logits.Grad![i], 1e-5, Absolute, $"grad_logits[{i}]");
            else Assert.Equal(0f, logits.Grad![i]);   // saturated: the gradient vanishes
        }
    }

    [Fact]
    public void Clamp_cases_match_PyTorch_including_the_float32_epsilon_gradient()
    {
        var expected = Vectors.GetProperty("bce_clamp_cases");
        var probs = ReferenceVectors.Floats(expected, "probs");
        var targets = new Tensor(ReferenceVectors.Floats(expected, "targets"), probs.Length);
        // These shared vectors are float64; per element Converge computes in float32 as PyTorch's
        // float32 kernel does, where ln(1 − 1e-13) is ln(1) = 0 (torch.float32 gives 0.0 for p = 1e-13, y = 0;
        // the differential suite checks that against PyTorch). The other elements agree in both precisions.
        var perElement = new BceLoss(reduction: Reduction.None).Forward(new Tensor(probs, probs.Length), targets).Data;
        var expectedPerElement = ReferenceVectors.Doubles(expected, "per_element");
        Assert.Equal(1e-13f, probs[6]);
        Assert.Equal(0f, perElement[6]);
        (expectedPerElement[6], perElement[6]) = (0, 0);
        ReferenceVectors.Close(expectedPerElement, perElement, Relative, Absolute, "per_element");
        var p = Tensor.Parameter(probs, probs.Length);
        new BceLoss(reduction: Reduction.Sum).Forward(p, targets).Backward();
        var expectedGrad = ReferenceVectors.Doubles(expected, "grad_probs_of_sum");
        ReferenceVectors.Close(expectedGrad, p.Grad!, Relative, Absolute, "grad");
        // At p = 0, y = 1 the gradient is −1/ε with PyTorch's float32 ε = 1e-12f: −1000000003995.8.
        Assert.Equal(-1 / (double)1e-12f, expectedGrad[0], 1e-3);
        ReferenceVectors.Close(-1000000003995.8029, p.Grad![0], Relative, 0, "−1/ε");
    }

    [Theory]
    [InlineData(Reduction.Mean, false)]
    [InlineData(Reduction.Sum, false)]
    [InlineData(Reduction.None, false)]
    [InlineData(Reduction.Mean, true)]
    [InlineData(Reduction.None, true)]
    public void Gradient_passes_gradcheck(Reduction reduction, bool weighted)
    {
        var p = GradCheck.Parameter(121, [4, 3], 0.1, 0.9);
        var y = GradCheck.Parameter(122, [4, 3], 0, 1).Detach();
        var weight = weighted ? new Tensor([0.5f, 1f, 2f], 3) : null;
        var loss = new BceLoss(weight, reduction);
        GradCheck.Check(() => loss.Forward(p, y), p);
    }

    [Fact]
    public void Mean_divides_by_the_element_count_not_by_the_weights()
    {
        var p = new Tensor([0.2f, 0.7f], 2);
        var y = new Tensor([0f, 1f], 2);
        var mean = new BceLoss(new Tensor([3f, 0.5f], 2)).Forward(p, y).Item();
        ReferenceVectors.Close((3 * -Math.Log(1 - 0.2f) + 0.5 * -Math.Log(0.7f)) / 2, mean, Relative, 0, "mean");
    }

    [Theory]
    [InlineData(-0.01f)]
    [InlineData(1.01f)]
    [InlineData(float.NaN)]
    public void Probabilities_outside_zero_one_are_rejected(float bad)
    {
        var error = Assert.Throws<ArgumentException>(() => new BceLoss().Forward(new Tensor([0.5f, bad], 2), Tensor.Zeros(2)));
        Assert.Contains("index 1", error.Message, StringComparison.Ordinal);
    }
}
